-- Credit that has just arrived on a customer's account (a posted reward, a spend given back) first pays
-- what the customer owes in that currency: min(owed, available) moves from the account to the
-- customer's receivable, as a transfer, taken from the account's lots ('settlement'). Expired credit pays
-- nothing: the account's due lots expire first. The caller has locked the account (its update did); the
-- receivable is locked after it. Returns the account's available credit after settling.
DROP FUNCTION IF EXISTS settle_receivable(bigint, bigint, uuid, uuid);
CREATE OR REPLACE FUNCTION settle_receivable(
    p_account_id bigint, p_available bigint, p_redemption_id uuid, p_spend_id uuid, p_now timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_receivable bigint;
    v_owed bigint;
    v_available bigint;
    v_settled bigint;
BEGIN
    SELECT r.id, r.debits_posted - r.credits_posted INTO v_receivable, v_owed
    FROM accounts c JOIN accounts r ON r.kind = 'receivable' AND r.owner_id = c.owner_id AND r.currency = c.currency
    WHERE c.id = p_account_id
    FOR UPDATE OF r;
    IF COALESCE(v_owed, 0) <= 0 OR p_available <= 0 THEN
        RETURN p_available;
    END IF;
    PERFORM expire_account_lots(p_account_id, p_now);
    SELECT a.credits_posted - a.debits_posted INTO v_available FROM accounts a WHERE a.id = p_account_id;
    v_settled := LEAST(v_owed, v_available);
    IF v_settled <= 0 THEN
        RETURN v_available;
    END IF;
    UPDATE accounts a SET debits_posted = a.debits_posted + v_settled WHERE a.id = p_account_id;
    UPDATE accounts a SET credits_posted = a.credits_posted + v_settled WHERE a.id = v_receivable;
    INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                           redemption_id, spend_id, created_at)
    SELECT p_account_id, v_receivable, p_account_id, v_settled, a.currency, 'posted', 'shortfall_settlement',
           p_redemption_id, p_spend_id, p_now
    FROM accounts a WHERE a.id = p_account_id;
    PERFORM take_from_lots(p_account_id, v_settled, 'settlement', p_redemption_id, p_spend_id, p_now);
    RETURN v_available - v_settled;
END;
$$;
