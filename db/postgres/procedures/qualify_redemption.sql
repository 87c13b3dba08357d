-- The friend's qualifying order posts both pending rewards.
-- Locks, in order: the redemption row, then both customers' accounts by owner id.
CREATE OR REPLACE FUNCTION qualify_redemption(
    p_id uuid, p_order_id varchar, p_order_amount bigint,
    p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF redemption_row
LANGUAGE plpgsql AS $$
DECLARE
    v_state varchar;
    v_outcome text;
    v_redemption redemptions%ROWTYPE;
    v_minimum bigint;
    v_result redemption_row;
BEGIN
    IF p_idempotency_key IS NOT NULL THEN
        SELECT i.state, i.outcome INTO v_state, v_outcome
        FROM idempotency_begin(p_caller_id, p_idempotency_key, 'qualify_redemption', p_request_hash) i;
        IF v_state = 'replay' THEN
            RETURN NEXT redemption_from_json(v_outcome);
            RETURN;
        ELSIF v_state = 'reused' THEN
            v_result.status := 'idempotency_key_reused';
            RETURN NEXT v_result;
            RETURN;
        END IF;
    END IF;

    <<work>>
    BEGIN
        SELECT r.* INTO v_redemption FROM redemptions r WHERE r.id = p_id FOR UPDATE;
        IF v_redemption.id IS NULL THEN
            v_result.status := 'not_found';
            EXIT work;
        END IF;
        -- The same qualifying order again is a retry: answer with the current state.
        IF v_redemption.status = 'rewarded' AND v_redemption.qualifying_order_id = p_order_id THEN
            v_result := redemption_view(p_id);
            EXIT work;
        END IF;
        IF v_redemption.status <> 'pending' THEN
            v_result.status := 'invalid_state';
            EXIT work;
        END IF;
        SELECT p.minimum_order_amount INTO v_minimum FROM programs p WHERE p.id = v_redemption.program_id;
        IF p_order_amount < v_minimum THEN
            v_result.status := 'order_below_minimum';
            EXIT work;
        END IF;

        -- Lock both accounts in owner id order (the order every procedure uses), then move the credit.
        PERFORM 1 FROM accounts a
        WHERE a.id IN (SELECT t.credit_account_id FROM transfers t WHERE t.redemption_id = p_id AND t.phase = 'pending')
        ORDER BY a.owner_id
        FOR UPDATE;
        UPDATE accounts a
        SET credits_pending = a.credits_pending - x.amount,
            credits_posted = a.credits_posted + x.amount
        FROM (SELECT t.credit_account_id AS account_id, t.amount
              FROM transfers t
              WHERE t.redemption_id = p_id AND t.phase = 'pending') x
        WHERE a.id = x.account_id;

        INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase,
                               pending_id, kind, redemption_id, created_at)
        SELECT t.debit_account_id, t.credit_account_id, t.customer_account_id, t.amount, t.currency, 'post', t.id,
               t.kind, p_id, now()
        FROM transfers t
        WHERE t.redemption_id = p_id AND t.phase = 'pending'
        ORDER BY t.id;

        UPDATE redemptions r
        SET status = 'rewarded', qualifying_order_id = p_order_id, order_amount = p_order_amount, qualified_at = now()
        WHERE r.id = p_id;
        v_result := redemption_view(p_id);
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'qualify_redemption', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
