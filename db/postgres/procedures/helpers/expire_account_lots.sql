-- Expires a customer account's due lots (remaining > 0, expires_at <= p_now): each lot's remainder moves to its
-- program's breakage account (owner id: the program id; '' for a lot without program) as an 'expiry' transfer the
-- statement shows, the lot keeps nothing, and an 'expiry' movement records it. Every procedure calls it before it
-- debits posted credit (spend, clawback, settlement, a spend given back), so expired credit is never spent; the
-- job runner's expire_credit_lots runs the same statements over a batch of accounts at once.
-- The caller holds the account's row lock, under which every change to its lots happens. A breakage account is
-- opened on first use (ON CONFLICT: a concurrent first use is found, not duplicated); it is read, never updated.
CREATE OR REPLACE FUNCTION expire_account_lots(p_account_id bigint, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_expired bigint;
    v_booked bigint;
BEGIN
    -- The common case: nothing due (one probe of the account index).
    IF NOT EXISTS (SELECT 1 FROM credit_lots l
                   WHERE l.account_id = p_account_id AND l.remaining > 0 AND l.expires_at <= p_now) THEN
        RETURN;
    END IF;

    INSERT INTO accounts (kind, owner_id, currency, created_at)
    SELECT DISTINCT 'breakage', COALESCE(l.program_id::text, ''), l.currency, p_now
    FROM credit_lots l
    WHERE l.account_id = p_account_id AND l.remaining > 0 AND l.expires_at <= p_now
      AND NOT EXISTS (SELECT 1 FROM accounts b
                      WHERE b.kind = 'breakage' AND b.owner_id = COALESCE(l.program_id::text, '')
                        AND b.currency = l.currency)
    ON CONFLICT (kind, owner_id, currency) DO NOTHING;

    WITH due AS (
        SELECT l.id, l.remaining FROM credit_lots l
        WHERE l.account_id = p_account_id AND l.remaining > 0 AND l.expires_at <= p_now
    ), expired AS (
        UPDATE credit_lots l SET remaining = 0
        FROM due
        WHERE l.id = due.id
        RETURNING l.id, due.remaining AS amount, l.currency, l.program_id, l.redemption_id
    ), moved AS (
        INSERT INTO lot_movements (lot_id, kind, amount, redemption_id, created_at)
        SELECT e.id, 'expiry', -e.amount, e.redemption_id, p_now FROM expired e
    ), booked AS (
        INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                               redemption_id, created_at)
        SELECT p_account_id, b.id, p_account_id, e.amount, e.currency, 'posted', 'expiry', e.redemption_id, p_now
        FROM expired e
        JOIN accounts b ON b.kind = 'breakage' AND b.owner_id = COALESCE(e.program_id::text, '')
                       AND b.currency = e.currency
        RETURNING amount
    )
    SELECT (SELECT COALESCE(SUM(e.amount), 0) FROM expired e), (SELECT COALESCE(SUM(b.amount), 0) FROM booked b)
    INTO v_expired, v_booked;
    IF v_booked <> v_expired THEN
        RAISE EXCEPTION 'expire_account_lots: account % expired % but booked % to breakage', p_account_id, v_expired,
            v_booked;
    END IF;

    UPDATE accounts a SET debits_posted = a.debits_posted + v_expired WHERE a.id = p_account_id;
END;
$$;
