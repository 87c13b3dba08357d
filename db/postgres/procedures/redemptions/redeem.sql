-- A customer redeems a code of any kind. Referral: a pending reward for the code's owner and, unless the program
-- gives the friend a first-order discount instead, one for the friend. Promo: the offer, at once (status
-- 'redeemed'): a discount (recorded, no ledger entry) or credit (posted to the customer). Partner: the offer, and
-- a pending commission for the code's owner, posted when the order qualifies.
-- Refusals, in this order: code_not_found, code_disabled, code_expired, code_inactive (program paused),
-- program_ended, program_not_started, currency_mismatch, order_required, order_below_minimum, self_referral,
-- not_new_customer, click_not_found (a clickId that names no click of this code), customer_limit_reached,
-- code_exhausted (or referrer_cap_reached), budget_exhausted, already_redeemed (promo and partner: this code on this
-- order) or already_referred (referral: this friend in this program).
-- Locks, in order: the code row (only when a limit counts its uses: a referral code always, a promo or partner
-- code with a per-code limit; any other code is only read, so a shared code like WELCOME10 is no hot row), the
-- customer's customer_uses row (promo and partner), the program row (only a program with a budget: it commits what
-- the redemption gives), the redemption's natural key (the insert), then the customers' accounts by owner id.
-- Time is p_now (the service's clock) for every decision and for the redemption's, its transfers' and its lot's
-- timestamps: a redemption that starts pending gets qualify_by = p_now + qualify_within_days, when the program has
-- that setting, and a promo's gift credit expires at p_now + credit_expiry_days.
-- The redemption records its click: p_click_id when given, else the click the customer claimed, when that claim is of
-- this code (one primary-key probe of attribution_claims; a claim of another code says nothing about this redemption).
DROP FUNCTION IF EXISTS redeem(uuid, varchar, varchar, varchar, varchar, varchar, char);
DROP FUNCTION IF EXISTS redeem(uuid, varchar, varchar, varchar, bigint, char, integer, varchar, varchar, char);
DROP FUNCTION IF EXISTS redeem(uuid, varchar, varchar, varchar, bigint, char, integer, uuid, varchar, varchar, char);
CREATE OR REPLACE FUNCTION redeem(
    p_id uuid, p_code varchar, p_customer_id varchar, p_order_id varchar, p_order_amount bigint, p_currency char,
    p_customer_order_count integer, p_click_id uuid, p_now timestamptz, p_caller_id varchar, p_idempotency_key varchar,
    p_request_hash char)
RETURNS SETOF redemption_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_code record;
    v_limit integer;
    v_cap integer;
    v_claimed boolean := false;
    v_count integer;
    v_discount bigint;
    v_referrer_amount bigint;
    v_referee_amount bigint;
    v_commit bigint := 0;
    v_owner_account bigint;
    v_customer_account bigint;
    v_available bigint;
    v_result redemption_row;
BEGIN
    SELECT i.outcome INTO v_outcome
    FROM idempotency_begin(p_caller_id, p_idempotency_key, 'redeem', p_request_hash) i;
    IF v_outcome IS NOT NULL THEN
        RETURN NEXT redemption_from_json(v_outcome);
        RETURN;
    END IF;

    <<work>>
    BEGIN
        -- The common case first: a referral code without a friend offer, nothing to refuse and room under its cap.
        -- One guarded update claims the use, as the referral-only procedure did. Each of its conditions is the
        -- negation of one of the general path's refusals, or narrower, so it takes only redemptions the general path
        -- would take too; whatever it does not take (any refusal, promo and partner codes, a friend offer) goes to
        -- the general path below, which applies and explains the checks. Its columns are the general path's, with
        -- the same types (one record variable serves both). A program with a budget takes the general path: only
        -- there is its program row locked, so a program without one never has its row written by a redemption.
        UPDATE referral_codes c SET reward_count = c.reward_count + 1
        FROM programs p
        WHERE c.code = p_code AND p.id = c.program_id
          AND p.kind = 'referral' AND p.offer_type IS NULL AND NOT p.new_customers_only AND p.budget IS NULL
          AND c.status = 'active' AND (c.expires_at IS NULL OR c.expires_at > p_now)
          AND p.status = 'active' AND (p.ends_at IS NULL OR p.ends_at > p_now)
          AND (p.starts_at IS NULL OR p.starts_at <= p_now)
          AND (p_currency IS NULL OR p_currency = p.currency)
          AND c.owner_id <> p_customer_id
          AND (p_click_id IS NULL OR EXISTS (SELECT 1 FROM clicks k WHERE k.id = p_click_id AND k.code = c.code))
          AND (LEAST(COALESCE(c.max_redemptions, p.max_redemptions_per_code), p.max_rewards_per_referrer) IS NULL
               OR c.reward_count < LEAST(COALESCE(c.max_redemptions, p.max_redemptions_per_code), p.max_rewards_per_referrer))
        RETURNING c.owner_id, p.id AS program_id, p.kind, p.currency, p.funding_account_id, p.max_rewards_per_referrer,
                  p.max_redemptions_per_customer, COALESCE(c.max_redemptions, p.max_redemptions_per_code) AS code_limit,
                  NULL::text AS refusal, 0::bigint AS discount, p.referee_reward AS referee_amount,
                  p.referrer_reward AS referrer_amount, p.qualify_within_days, p.credit_expiry_days, p.budget
        INTO v_code;
        v_claimed := FOUND;

        IF NOT v_claimed THEN
            -- Read, not locked: the checks need no lock (the limits are enforced by the guarded writes below). One
            -- statement finds the code and its program, applies the checks in order and works out the amounts.
            -- A fixed commission is paid as set, whatever the order (the minimum order amount guards small orders).
            SELECT c.owner_id, p.id AS program_id, p.kind, p.currency, p.funding_account_id, p.max_rewards_per_referrer,
                   p.max_redemptions_per_customer, COALESCE(c.max_redemptions, p.max_redemptions_per_code) AS code_limit,
                   CASE
                       WHEN c.status <> 'active' THEN 'code_disabled'
                       WHEN c.expires_at <= p_now THEN 'code_expired'
                       WHEN p.status = 'paused' THEN 'code_inactive'
                       WHEN p.status = 'ended' OR p.ends_at <= p_now THEN 'program_ended'
                       WHEN p.starts_at > p_now THEN 'program_not_started'
                       WHEN p_currency <> p.currency THEN 'currency_mismatch'
                       WHEN (p.kind <> 'referral' OR p.offer_type IS NOT NULL)
                            AND (p_order_id IS NULL OR p_order_amount IS NULL) THEN 'order_required'
                       WHEN (p.kind <> 'referral' OR p.offer_type IS NOT NULL)
                            AND p_order_amount < p.minimum_order_amount THEN 'order_below_minimum'
                       WHEN p_customer_id = c.owner_id THEN 'self_referral'
                       WHEN p.new_customers_only AND (p_customer_order_count > 0 OR EXISTS (
                                SELECT 1 FROM ordering_customers o WHERE o.customer_id = p_customer_id)) THEN 'not_new_customer'
                       WHEN p_click_id IS NOT NULL AND NOT EXISTS (
                                SELECT 1 FROM clicks k WHERE k.id = p_click_id AND k.code = c.code) THEN 'click_not_found'
                   END AS refusal,
                   CASE WHEN p.offer_type = 'discount'
                        THEN offer_value(p_order_amount, p.offer_percent_off, p.offer_max_discount, p.offer_amount)
                        ELSE 0 END AS discount,
                   CASE WHEN p.kind = 'referral' THEN p.referee_reward
                        WHEN p.offer_type = 'credit' THEN p.offer_amount
                        ELSE 0 END AS referee_amount,
                   CASE WHEN p.kind = 'referral' THEN p.referrer_reward
                        WHEN p.kind = 'promo' THEN 0
                        WHEN p.commission_basis_points IS NOT NULL
                            THEN offer_value(p_order_amount, p.commission_basis_points, p.commission_max, NULL)
                        ELSE p.commission_amount END AS referrer_amount,
                   p.qualify_within_days, p.credit_expiry_days, p.budget
            INTO v_code
            FROM referral_codes c JOIN programs p ON p.id = c.program_id
            WHERE c.code = p_code;
            IF NOT FOUND THEN
                v_result.status := 'code_not_found';
                EXIT work;
            END IF;
            IF v_code.refusal IS NOT NULL THEN
                v_result.status := v_code.refusal;
                EXIT work;
            END IF;

            -- Claim a use of the code, when a limit counts them: one guarded update takes the row lock and holds the
            -- count under the limit. What it refuses is explained by a second look; should that find room again (a
            -- reversal gave a use back in between), the claim is tried again.
            v_limit := v_code.code_limit;
            IF v_code.kind = 'referral' OR v_limit IS NOT NULL THEN
                v_cap := CASE WHEN v_code.kind = 'referral' THEN LEAST(v_limit, v_code.max_rewards_per_referrer) ELSE v_limit END;
                LOOP
                    UPDATE referral_codes c SET reward_count = c.reward_count + 1
                    WHERE c.code = p_code AND (v_cap IS NULL OR c.reward_count < v_cap);
                    EXIT WHEN FOUND;
                    SELECT c.reward_count INTO v_count FROM referral_codes c WHERE c.code = p_code;
                    IF v_count >= v_cap THEN
                        v_result.status := CASE
                            WHEN v_code.kind <> 'referral' AND EXISTS (
                                SELECT 1 FROM customer_uses u
                                WHERE u.program_id = v_code.program_id AND u.customer_id = p_customer_id
                                  AND u.uses >= v_code.max_redemptions_per_customer) THEN 'customer_limit_reached'
                            WHEN v_count >= v_limit THEN 'code_exhausted'
                            ELSE 'referrer_cap_reached'
                        END;
                        EXIT work;
                    END IF;
                END LOOP;
                v_claimed := true;
            END IF;

        END IF;
        v_discount := v_code.discount;
        v_referee_amount := v_code.referee_amount;
        v_referrer_amount := v_code.referrer_amount;

        -- The customer's uses of this program (promo and partner): counted always, so that a limit set later
        -- counts earlier uses; the upsert takes the row lock and holds the count under the limit.
        IF v_code.kind <> 'referral' THEN
            INSERT INTO customer_uses AS u (program_id, customer_id, uses)
            VALUES (v_code.program_id, p_customer_id, 1)
            ON CONFLICT (program_id, customer_id) DO UPDATE SET uses = u.uses + 1
            WHERE v_code.max_redemptions_per_customer IS NULL OR u.uses < v_code.max_redemptions_per_customer;
            IF NOT FOUND THEN
                IF v_claimed THEN
                    UPDATE referral_codes c SET reward_count = c.reward_count - 1 WHERE c.code = p_code;
                END IF;
                v_result.status := 'customer_limit_reached';
                EXIT work;
            END IF;
        END IF;

        -- A program with a budget commits everything this redemption gives, by one guarded update of its row (which
        -- takes the row lock until commit, so the budget holds under concurrency); the claims above are undone when
        -- it refuses. Nothing to commit, nothing locked.
        IF v_code.budget IS NOT NULL THEN
            v_commit := v_referrer_amount + v_referee_amount + v_discount;
        END IF;
        IF v_commit > 0 THEN
            UPDATE programs p SET committed = p.committed + v_commit
            WHERE p.id = v_code.program_id AND p.budget IS NOT NULL AND p.committed + v_commit <= p.budget;
            IF NOT FOUND THEN
                IF v_claimed THEN
                    UPDATE referral_codes c SET reward_count = c.reward_count - 1 WHERE c.code = p_code;
                END IF;
                IF v_code.kind <> 'referral' THEN
                    UPDATE customer_uses u SET uses = u.uses - 1
                    WHERE u.program_id = v_code.program_id AND u.customer_id = p_customer_id;
                END IF;
                v_result.status := 'budget_exhausted';
                EXIT work;
            END IF;
        END IF;

        -- The natural key is the last word: one redemption per friend and referral program, one use of a promo or
        -- partner code per order. Without a clickId, the click is the one the customer claimed, if that claim is of
        -- this code: a subquery of the insert rather than a statement of its own (one cost redeem 11% in a paired run).
        IF v_code.kind = 'referral' THEN
            INSERT INTO redemptions (id, program_id, code, referrer_id, referee_id, order_id, status, currency,
                                     referrer_reward, referee_reward, order_amount, created_at, kind, discount, click_id,
                                     qualify_by)
            VALUES (p_id, v_code.program_id, p_code, v_code.owner_id, p_customer_id, p_order_id, 'pending',
                    v_code.currency, v_referrer_amount, v_referee_amount, p_order_amount, p_now, 'referral', v_discount,
                    COALESCE(p_click_id, (SELECT a.click_id FROM attribution_claims a
                                          WHERE a.customer_id = p_customer_id AND a.code = p_code)),
                    p_now + make_interval(days => v_code.qualify_within_days))
            ON CONFLICT (program_id, referee_id) WHERE kind = 'referral' DO NOTHING
            RETURNING 'ok', id, program_id, code, referrer_id, referee_id, order_id, status, currency, referrer_reward,
                      referee_reward, referrer_shortfall, referee_shortfall, qualifying_order_id, order_amount,
                      reversal_reason, created_at, qualified_at, reversed_at, kind, discount, click_id, qualify_by,
                      available_at, expired_at
            INTO v_result;
        ELSE
            INSERT INTO redemptions (id, program_id, code, referrer_id, referee_id, order_id, status, currency,
                                     referrer_reward, referee_reward, order_amount, created_at, kind, discount, click_id,
                                     qualify_by)
            VALUES (p_id, v_code.program_id, p_code, v_code.owner_id, p_customer_id, p_order_id,
                    CASE WHEN v_code.kind = 'promo' THEN 'redeemed' ELSE 'pending' END, v_code.currency,
                    v_referrer_amount, v_referee_amount, p_order_amount, p_now, v_code.kind, v_discount,
                    COALESCE(p_click_id, (SELECT a.click_id FROM attribution_claims a
                                          WHERE a.customer_id = p_customer_id AND a.code = p_code)),
                    CASE WHEN v_code.kind <> 'promo' THEN p_now + make_interval(days => v_code.qualify_within_days) END)
            ON CONFLICT (code, order_id) WHERE kind <> 'referral' DO NOTHING
            RETURNING 'ok', id, program_id, code, referrer_id, referee_id, order_id, status, currency, referrer_reward,
                      referee_reward, referrer_shortfall, referee_shortfall, qualifying_order_id, order_amount,
                      reversal_reason, created_at, qualified_at, reversed_at, kind, discount, click_id, qualify_by,
                      available_at, expired_at
            INTO v_result;
        END IF;
        IF NOT FOUND THEN
            IF v_claimed THEN
                UPDATE referral_codes c SET reward_count = c.reward_count - 1 WHERE c.code = p_code;
            END IF;
            IF v_commit > 0 THEN
                UPDATE programs p SET committed = p.committed - v_commit WHERE p.id = v_code.program_id;
            END IF;
            IF v_code.kind = 'referral' THEN
                v_result.status := 'already_referred';
            ELSE
                UPDATE customer_uses u SET uses = u.uses - 1
                WHERE u.program_id = v_code.program_id AND u.customer_id = p_customer_id;
                v_result.status := 'already_redeemed';
            END IF;
            EXIT work;
        END IF;

        -- The customers' accounts in owner id order (the order every procedure locks accounts in). A promo's credit
        -- is posted at once; every other leg is pending until the order qualifies.
        IF v_referrer_amount > 0 AND (v_referee_amount = 0 OR v_code.owner_id < p_customer_id) THEN
            v_owner_account := add_to_account('customer', v_code.owner_id, v_code.currency, v_referrer_amount, 0);
        END IF;
        IF v_referee_amount > 0 AND v_code.kind = 'promo' THEN
            v_customer_account := add_to_account('customer', p_customer_id, v_code.currency, 0, 0);
            UPDATE accounts a SET credits_posted = a.credits_posted + v_referee_amount
            WHERE a.id = v_customer_account
            RETURNING a.credits_posted - a.debits_posted INTO v_available;
        ELSIF v_referee_amount > 0 THEN
            v_customer_account := add_to_account('customer', p_customer_id, v_code.currency, v_referee_amount, 0);
        END IF;
        IF v_referrer_amount > 0 AND v_owner_account IS NULL THEN
            v_owner_account := add_to_account('customer', v_code.owner_id, v_code.currency, v_referrer_amount, 0);
        END IF;

        INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                               redemption_id, created_at)
        SELECT v_code.funding_account_id, leg.account_id, leg.account_id, leg.amount, v_code.currency, leg.phase,
               leg.kind, p_id, p_now
        FROM (VALUES (v_owner_account, v_referrer_amount, 'pending',
                      CASE WHEN v_code.kind = 'partner' THEN 'commission' ELSE 'referrer_reward' END),
                     (v_customer_account, v_referee_amount,
                      CASE WHEN v_code.kind = 'promo' THEN 'posted' ELSE 'pending' END,
                      CASE WHEN v_code.kind = 'promo' THEN 'promo_credit' ELSE 'referee_reward' END))
             AS leg (account_id, amount, phase, kind)
        WHERE leg.amount > 0;
        IF v_available IS NOT NULL THEN
            -- Posted credit is a lot (expiring when the program says so), and first pays what its customer owes.
            PERFORM grant_lot(v_customer_account, v_referee_amount, v_code.program_id, p_id,
                              p_now + make_interval(days => v_code.credit_expiry_days), p_now);
            PERFORM settle_receivable(v_customer_account, v_available, p_id, NULL, p_now);
        END IF;
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'redeem', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
