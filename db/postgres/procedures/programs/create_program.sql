-- Creates a program of any kind and its funding account. What each kind must and must not have is checked
-- by the service before the call (Programs/ProgramContracts.cs) and by programs_kind_shape after it. The time
-- settings and budget (0013) are optional on every kind; a new program has committed nothing.
DROP FUNCTION IF EXISTS create_program(uuid, varchar, char, bigint, bigint, bigint, integer, varchar, varchar, char);
DROP FUNCTION IF EXISTS create_program(uuid, varchar, char, varchar, bigint, bigint, bigint, integer, varchar, integer, bigint, bigint,
    bigint, integer, bigint, timestamptz, timestamptz, integer, integer, boolean, varchar, varchar, char);
DROP FUNCTION IF EXISTS create_program(uuid, varchar, char, varchar, bigint, bigint, bigint, integer, varchar, integer, bigint, bigint,
    bigint, integer, bigint, timestamptz, timestamptz, integer, integer, boolean, varchar, varchar, varchar, varchar, varchar,
    varchar, varchar, char);
CREATE OR REPLACE FUNCTION create_program(
    p_id uuid, p_name varchar, p_currency char, p_kind varchar, p_referrer_reward bigint, p_referee_reward bigint,
    p_minimum_order_amount bigint, p_max_rewards_per_referrer integer, p_offer_type varchar, p_offer_percent_off integer,
    p_offer_max_discount bigint, p_offer_amount bigint, p_commission_amount bigint, p_commission_basis_points integer,
    p_commission_max bigint, p_starts_at timestamptz, p_ends_at timestamptz, p_max_redemptions_per_code integer,
    p_max_redemptions_per_customer integer, p_new_customers_only boolean, p_landing_url varchar, p_ios_app_store_url varchar,
    p_android_package varchar, p_deep_link_template varchar, p_share_text_template varchar, p_hold_days integer,
    p_qualify_within_days integer, p_credit_expiry_days integer, p_budget bigint,
    p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF program_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_funding bigint;
    v_result program_row;
BEGIN
    SELECT i.outcome INTO v_outcome
    FROM idempotency_begin(p_caller_id, p_idempotency_key, 'create_program', p_request_hash) i;
    IF v_outcome IS NOT NULL THEN
        RETURN NEXT program_from_json(v_outcome);
        RETURN;
    END IF;

    v_funding := system_account('funding', p_id::text, p_currency);
    INSERT INTO programs (id, name, currency, kind, referrer_reward, referee_reward, minimum_order_amount,
                          max_rewards_per_referrer, offer_type, offer_percent_off, offer_max_discount, offer_amount,
                          commission_amount, commission_basis_points, commission_max, starts_at, ends_at,
                          max_redemptions_per_code, max_redemptions_per_customer, new_customers_only,
                          landing_url, ios_app_store_url, android_package, deep_link_template, share_text_template,
                          hold_days, qualify_within_days, credit_expiry_days, budget,
                          status, funding_account_id, created_at, updated_at)
    VALUES (p_id, p_name, p_currency, p_kind, p_referrer_reward, p_referee_reward, p_minimum_order_amount,
            p_max_rewards_per_referrer, p_offer_type, p_offer_percent_off, p_offer_max_discount, p_offer_amount,
            p_commission_amount, p_commission_basis_points, p_commission_max, p_starts_at, p_ends_at,
            p_max_redemptions_per_code, p_max_redemptions_per_customer, p_new_customers_only,
            p_landing_url, p_ios_app_store_url, p_android_package, p_deep_link_template, p_share_text_template,
            p_hold_days, p_qualify_within_days, p_credit_expiry_days, p_budget,
            'active', v_funding, now(), now());
    v_result := program_view(p_id);

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'create_program', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
