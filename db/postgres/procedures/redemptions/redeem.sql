-- A friend redeems a referral code: one pending reward for each side.
-- Locks, in order: the code row (the referrer cap), then both customers' accounts by owner id.
CREATE OR REPLACE FUNCTION redeem(
    p_id uuid, p_code varchar, p_customer_id varchar, p_order_id varchar,
    p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF redemption_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_code record;
    v_referrer_account bigint;
    v_referee_account bigint;
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
        -- Claim one of the referrer's rewards: one statement finds the code and its program, checks them,
        -- takes the code's row lock and enforces the cap (the program row is read, not locked). What it
        -- refuses is explained by a second look; should that find nothing wrong any more (a reversal
        -- freed a slot in between), the claim is tried again.
        <<claim>>
        LOOP
            UPDATE referral_codes c SET reward_count = c.reward_count + 1
            FROM programs p
            WHERE c.code = p_code AND p.id = c.program_id AND p.status = 'active'
              AND c.owner_id IS DISTINCT FROM p_customer_id
              AND (p.max_rewards_per_referrer IS NULL OR c.reward_count < p.max_rewards_per_referrer)
            RETURNING c.owner_id, p.id, p.currency, p.referrer_reward, p.referee_reward, p.funding_account_id
            INTO v_code;
            EXIT claim WHEN FOUND;
            SELECT CASE
                       WHEN p.status <> 'active' THEN 'code_inactive'
                       WHEN c.owner_id IS NOT DISTINCT FROM p_customer_id THEN 'self_referral'
                       WHEN c.reward_count >= p.max_rewards_per_referrer THEN 'referrer_cap_reached'
                   END
            INTO v_result.status
            FROM referral_codes c JOIN programs p ON p.id = c.program_id
            WHERE c.code = p_code;
            IF NOT FOUND THEN
                v_result.status := 'code_not_found';
            END IF;
            EXIT work WHEN v_result.status IS NOT NULL;
        END LOOP;

        -- The unique (program, referee) key is the last word on "rewarded once per program".
        INSERT INTO redemptions (id, program_id, code, referrer_id, referee_id, order_id, status, currency,
                                 referrer_reward, referee_reward, created_at)
        VALUES (p_id, v_code.id, p_code, v_code.owner_id, p_customer_id, p_order_id, 'pending', v_code.currency,
                v_code.referrer_reward, v_code.referee_reward, now())
        ON CONFLICT (program_id, referee_id) WHERE kind = 'referral' DO NOTHING
        RETURNING 'ok', id, program_id, code, referrer_id, referee_id, order_id, status, currency, referrer_reward,
                  referee_reward, referrer_shortfall, referee_shortfall, qualifying_order_id, order_amount,
                  reversal_reason, created_at, qualified_at, reversed_at, kind, discount
        INTO v_result;
        IF NOT FOUND THEN
            UPDATE referral_codes c SET reward_count = c.reward_count - 1 WHERE c.code = p_code;
            v_result.status := 'already_referred';
            EXIT work;
        END IF;

        IF v_code.owner_id < p_customer_id THEN
            v_referrer_account := add_to_account('customer', v_code.owner_id, v_code.currency, v_code.referrer_reward, 0);
            v_referee_account := add_to_account('customer', p_customer_id, v_code.currency, v_code.referee_reward, 0);
        ELSE
            v_referee_account := add_to_account('customer', p_customer_id, v_code.currency, v_code.referee_reward, 0);
            v_referrer_account := add_to_account('customer', v_code.owner_id, v_code.currency, v_code.referrer_reward, 0);
        END IF;

        INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                               redemption_id, created_at)
        VALUES (v_code.funding_account_id, v_referrer_account, v_referrer_account, v_code.referrer_reward,
                v_code.currency, 'pending', 'referrer_reward', p_id, now()),
               (v_code.funding_account_id, v_referee_account, v_referee_account, v_code.referee_reward,
                v_code.currency, 'pending', 'referee_reward', p_id, now());
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'redeem', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
