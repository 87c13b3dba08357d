-- Gives spent credit back (order cancelled) with a new transfer from the spent account. The credit goes back to
-- the lots the spend took it from, with their own expiry ('spend_reversal' movements); a lot that expired meanwhile
-- sends what came back straight to breakage (expire_account_lots). A spend made before lots existed (0013) has
-- no movements: it comes back as a new lot without expiry. What comes back then first pays what the customer owes
-- in that currency (settle_receivable), so credit a reversal took back cannot be spent twice.
-- Locks, in order: the spend row, the customer's account, then their receivable.
DROP FUNCTION IF EXISTS reverse_spend(uuid, varchar, varchar, char);
CREATE OR REPLACE FUNCTION reverse_spend(
    p_id uuid, p_now timestamptz, p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF spend_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_spend spends%ROWTYPE;
    v_account bigint;
    v_balance bigint;
    v_restored integer;
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
        RETURNING a.id INTO v_account;
        INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                               spend_id, created_at)
        VALUES (system_account('spent', '', v_spend.currency), v_account, v_account, v_spend.amount, v_spend.currency,
                'posted', 'spend_reversal', p_id, p_now);

        -- Back to the lots it came from (what the spend's movements took from each).
        WITH took AS (
            SELECT m.lot_id, -SUM(m.amount) AS amount
            FROM lot_movements m
            WHERE m.spend_id = p_id AND m.kind = 'spend'
            GROUP BY m.lot_id
        ), restored AS (
            UPDATE credit_lots l SET remaining = l.remaining + t.amount
            FROM took t
            WHERE l.id = t.lot_id
            RETURNING l.id, t.amount
        )
        INSERT INTO lot_movements (lot_id, kind, amount, spend_id, created_at)
        SELECT r.id, 'spend_reversal', r.amount, p_id, p_now FROM restored r ORDER BY r.id;
        GET DIAGNOSTICS v_restored = ROW_COUNT;
        IF v_restored = 0 THEN
            PERFORM grant_lot(v_account, v_spend.amount, NULL, NULL, NULL, p_now);
        END IF;
        PERFORM expire_account_lots(v_account, p_now);

        SELECT a.credits_posted - a.debits_posted INTO v_balance FROM accounts a WHERE a.id = v_account;
        v_balance := settle_receivable(v_account, v_balance, NULL, p_id, p_now);
        UPDATE spends s SET status = 'reversed', reversed_at = p_now WHERE s.id = p_id;

        v_result := spend_view(p_id);
        v_result.balance_after := v_balance;
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'reverse_spend', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
