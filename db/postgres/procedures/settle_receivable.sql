-- Credit that has just arrived on a customer's account (a posted reward, a spend given back) first pays
-- what the customer owes in that currency: min(owed, available) moves from the account to the
-- customer's receivable, as a transfer. The caller has locked the account (its update did); the
-- receivable is locked after it. Returns the account's available credit after settling.
CREATE OR REPLACE FUNCTION settle_receivable(
    p_account_id bigint, p_available bigint, p_redemption_id uuid, p_spend_id uuid)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_receivable bigint;
    v_owed bigint;
    v_settled bigint;
BEGIN
    SELECT r.id, r.debits_posted - r.credits_posted INTO v_receivable, v_owed
    FROM accounts c JOIN accounts r ON r.kind = 'receivable' AND r.owner_id = c.owner_id AND r.currency = c.currency
    WHERE c.id = p_account_id
    FOR UPDATE OF r;
    v_settled := LEAST(COALESCE(v_owed, 0), p_available);
    IF v_settled <= 0 THEN
        RETURN p_available;
    END IF;
    UPDATE accounts a SET debits_posted = a.debits_posted + v_settled WHERE a.id = p_account_id;
    UPDATE accounts a SET credits_posted = a.credits_posted + v_settled WHERE a.id = v_receivable;
    INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                           redemption_id, spend_id, created_at)
    SELECT p_account_id, v_receivable, p_account_id, v_settled, a.currency, 'posted', 'shortfall_settlement',
           p_redemption_id, p_spend_id, now()
    FROM accounts a WHERE a.id = p_account_id;
    RETURN p_available - v_settled;
END;
$$;
