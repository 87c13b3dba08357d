-- Changes a program. 'ended' is final; NULL arguments leave a field as it is. An offer (p_offer_type not
-- NULL) or a commission (amount or basis points not NULL) is replaced whole: offers of promo and partner
-- programs, and only while the program has no redemptions (its codes were used on the old terms);
-- commissions of partner programs, for redemptions from now on. Setting maxRedemptionsPerCode where there
-- was none recounts the uses of the codes it now limits (recount_code_uses). A link setting (p_landing_url ..
-- p_share_text_template) is set by a value, cleared by '' (never a valid value) and left as it is by NULL.
-- The time settings (0013) are set by a value and left as they are by NULL, and apply from then on: a hold to
-- qualifications, a deadline to redemptions, an expiry to credit posted after the change. A promo program (complete
-- when redeemed) takes no hold or deadline: wrong_program_kind. A budget can be set or changed, not removed: setting
-- it recounts committed from the program's live redemptions (pending, held, rewarded, redeemed: everything each gives)
-- under the program row lock, which every redemption of a budgeted program takes to commit against it; a budget below
-- that is refused (budget_below_committed). A program's first budget cannot wait for redemptions already under way
-- (they take no lock on the program): one that read "no budget" and commits after the recount is not counted.
DROP FUNCTION IF EXISTS update_program(uuid, varchar, integer, bigint);
DROP FUNCTION IF EXISTS update_program(uuid, varchar, varchar, integer, bigint, varchar, integer, bigint, bigint, bigint, integer,
    bigint, timestamptz, timestamptz, integer, integer, boolean);
DROP FUNCTION IF EXISTS update_program(uuid, varchar, varchar, integer, bigint, varchar, integer, bigint, bigint, bigint, integer,
    bigint, timestamptz, timestamptz, integer, integer, boolean, varchar, varchar, varchar, varchar, varchar);
CREATE OR REPLACE FUNCTION update_program(
    p_id uuid, p_status varchar, p_name varchar, p_max_rewards_per_referrer integer, p_minimum_order_amount bigint,
    p_offer_type varchar, p_offer_percent_off integer, p_offer_max_discount bigint, p_offer_amount bigint,
    p_commission_amount bigint, p_commission_basis_points integer, p_commission_max bigint,
    p_starts_at timestamptz, p_ends_at timestamptz, p_max_redemptions_per_code integer,
    p_max_redemptions_per_customer integer, p_new_customers_only boolean, p_landing_url varchar, p_ios_app_store_url varchar,
    p_android_package varchar, p_deep_link_template varchar, p_share_text_template varchar, p_hold_days integer,
    p_qualify_within_days integer, p_credit_expiry_days integer, p_budget bigint)
RETURNS SETOF program_row
LANGUAGE plpgsql AS $$
DECLARE
    v_current programs%ROWTYPE;
    v_commission boolean := p_commission_amount IS NOT NULL OR p_commission_basis_points IS NOT NULL;
    v_committed bigint;
    v_result program_row;
BEGIN
    <<work>>
    BEGIN
        -- Row lock: the checks below decide the write.
        SELECT p.* INTO v_current FROM programs p WHERE p.id = p_id FOR UPDATE;
        IF v_current.id IS NULL THEN
            v_result.status := 'not_found';
            EXIT work;
        END IF;
        IF v_current.status = 'ended' AND COALESCE(p_status, 'ended') <> 'ended' THEN
            v_result.status := 'invalid_state';
            EXIT work;
        END IF;
        IF (p_offer_type IS NOT NULL AND v_current.kind = 'referral')
           OR (v_commission AND v_current.kind <> 'partner')
           OR (p_max_rewards_per_referrer IS NOT NULL AND v_current.kind <> 'referral')
           OR ((p_max_redemptions_per_code IS NOT NULL OR p_max_redemptions_per_customer IS NOT NULL
                OR p_new_customers_only IS NOT NULL) AND v_current.kind = 'referral')
           OR ((p_hold_days IS NOT NULL OR p_qualify_within_days IS NOT NULL) AND v_current.kind = 'promo') THEN
            v_result.status := 'wrong_program_kind';
            EXIT work;
        END IF;
        IF COALESCE(p_starts_at, v_current.starts_at) >= COALESCE(p_ends_at, v_current.ends_at) THEN
            v_result.status := 'validation_failed';
            EXIT work;
        END IF;
        IF p_offer_type IS NOT NULL
           AND EXISTS (SELECT 1 FROM redemptions r WHERE r.program_id = p_id AND r.kind <> 'referral') THEN
            v_result.status := 'program_has_redemptions';
            EXIT work;
        END IF;
        IF p_budget IS NOT NULL THEN
            SELECT COALESCE(sum(r.referrer_reward + r.referee_reward + r.discount), 0) INTO v_committed
            FROM redemptions r
            WHERE r.program_id = p_id AND r.status IN ('pending', 'held', 'rewarded', 'redeemed');
            IF v_committed > p_budget THEN
                v_result.status := 'budget_below_committed';
                EXIT work;
            END IF;
        END IF;

        UPDATE programs p
        SET status = COALESCE(p_status, p.status),
            name = COALESCE(p_name, p.name),
            max_rewards_per_referrer = COALESCE(p_max_rewards_per_referrer, p.max_rewards_per_referrer),
            minimum_order_amount = COALESCE(p_minimum_order_amount, p.minimum_order_amount),
            offer_type = COALESCE(p_offer_type, p.offer_type),
            offer_percent_off = CASE WHEN p_offer_type IS NULL THEN p.offer_percent_off ELSE p_offer_percent_off END,
            offer_max_discount = CASE WHEN p_offer_type IS NULL THEN p.offer_max_discount ELSE p_offer_max_discount END,
            offer_amount = CASE WHEN p_offer_type IS NULL THEN p.offer_amount ELSE p_offer_amount END,
            commission_amount = CASE WHEN v_commission THEN p_commission_amount ELSE p.commission_amount END,
            commission_basis_points = CASE WHEN v_commission THEN p_commission_basis_points ELSE p.commission_basis_points END,
            commission_max = CASE WHEN v_commission THEN p_commission_max ELSE p.commission_max END,
            starts_at = COALESCE(p_starts_at, p.starts_at),
            ends_at = COALESCE(p_ends_at, p.ends_at),
            max_redemptions_per_code = COALESCE(p_max_redemptions_per_code, p.max_redemptions_per_code),
            max_redemptions_per_customer = COALESCE(p_max_redemptions_per_customer, p.max_redemptions_per_customer),
            new_customers_only = COALESCE(p_new_customers_only, p.new_customers_only),
            landing_url = CASE WHEN p_landing_url IS NULL THEN p.landing_url ELSE NULLIF(p_landing_url, '') END,
            ios_app_store_url = CASE WHEN p_ios_app_store_url IS NULL THEN p.ios_app_store_url ELSE NULLIF(p_ios_app_store_url, '') END,
            android_package = CASE WHEN p_android_package IS NULL THEN p.android_package ELSE NULLIF(p_android_package, '') END,
            deep_link_template = CASE WHEN p_deep_link_template IS NULL THEN p.deep_link_template ELSE NULLIF(p_deep_link_template, '') END,
            share_text_template = CASE WHEN p_share_text_template IS NULL THEN p.share_text_template ELSE NULLIF(p_share_text_template, '') END,
            hold_days = COALESCE(p_hold_days, p.hold_days),
            qualify_within_days = COALESCE(p_qualify_within_days, p.qualify_within_days),
            credit_expiry_days = COALESCE(p_credit_expiry_days, p.credit_expiry_days),
            budget = COALESCE(p_budget, p.budget),
            committed = COALESCE(v_committed, p.committed),
            updated_at = now()
        WHERE p.id = p_id;
        IF p_max_redemptions_per_code IS NOT NULL AND v_current.max_redemptions_per_code IS NULL THEN
            PERFORM recount_code_uses(p_id);
        END IF;
        v_result := program_view(p_id);
    END work;
    RETURN NEXT v_result;
END;
$$;
