-- Gives spent credit back (order cancelled) with a new transfer from the spent account. What comes
-- back first pays what the customer owes in that currency (settle_receivable), so credit a reversal
-- took back cannot be spent twice.
-- Locks, in order: the spend row, the customer's account, then their receivable.
CREATE OR REPLACE FUNCTION reverse_spend(
    p_id uuid, p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF spend_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_spend spends%ROWTYPE;
    v_account bigint;
    v_balance bigint;
    v_result spend_row;
BEGIN
    SELECT i.outcome INTO v_outcome
    FROM idempotency_begin(p_caller_id, p_idempotency_key, 'reverse_spend', p_request_hash) i;
    IF v_outcome IS NOT NULL THEN
        RETURN NEXT spend_from_json(v_outcome);
        RETURN;
    END IF;

    <<work>>
    BEGIN
        SELECT s.* INTO v_spend FROM spends s WHERE s.id = p_id FOR UPDATE;
        IF v_spend.id IS NULL THEN
            v_result.status := 'not_found';
            EXIT work;
        END IF;
        IF v_spend.status <> 'spent' THEN
            v_result.status := 'invalid_state';
            EXIT work;
        END IF;

        UPDATE accounts a SET credits_posted = a.credits_posted + v_spend.amount
        WHERE a.kind = 'customer' AND a.owner_id = v_spend.customer_id AND a.currency = v_spend.currency
        RETURNING a.id, a.credits_posted - a.debits_posted INTO v_account, v_balance;
        INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                               spend_id, created_at)
        VALUES (system_account('spent', '', v_spend.currency), v_account, v_account, v_spend.amount, v_spend.currency,
                'posted', 'spend_reversal', p_id, now());
        v_balance := settle_receivable(v_account, v_balance, NULL, p_id, now());
        UPDATE spends s SET status = 'reversed', reversed_at = now() WHERE s.id = p_id;

        v_result := spend_view(p_id);
        v_result.balance_after := v_balance;
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'reverse_spend', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
