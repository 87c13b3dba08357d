CREATE OR REPLACE FUNCTION create_program(
    p_id uuid, p_name varchar, p_currency char, p_referrer_reward bigint, p_referee_reward bigint,
    p_minimum_order_amount bigint, p_max_rewards_per_referrer integer,
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
    INSERT INTO programs (id, name, currency, referrer_reward, referee_reward, minimum_order_amount,
                          max_rewards_per_referrer, status, funding_account_id, created_at, updated_at)
    VALUES (p_id, p_name, p_currency, p_referrer_reward, p_referee_reward, p_minimum_order_amount,
            p_max_rewards_per_referrer, 'active', v_funding, now(), now());
    v_result := program_view(p_id);

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'create_program', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
