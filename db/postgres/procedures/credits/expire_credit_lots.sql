-- Job: one pass of credit expiry, one transaction. Claims the accounts of the oldest due lots (through the due
-- index, in due order, up to p_batch_size lots) with FOR UPDATE SKIP LOCKED on the account rows, then expires every
-- due lot of the claimed accounts, as expire_account_lots does for one account, in one set of statements for the
-- batch (an account at a time made the pass twenty times slower than one set-based statement).
-- The account row is the claim, not the lot: every change to an account's lots happens under its row lock, so a
-- runner holding it never waits on a lot, while claiming lots and then their accounts lets two runners deadlock
-- (each holding an account whose lot the other claimed). An account another transaction holds (a spend, another
-- runner) is skipped and comes back in a later pass; each lot is re-checked under the lock (remaining > 0, due), so
-- it expires once. done: the lots expired; oldest_due: the due time of the oldest lot still due.
CREATE OR REPLACE FUNCTION expire_credit_lots(p_now timestamptz, p_batch_size integer)
RETURNS SETOF job_row
LANGUAGE plpgsql AS $$
DECLARE
    v_accounts bigint[];
    v_round integer;
    v_lots integer;
    v_expired bigint;
    v_booked bigint;
    v_result job_row;
BEGIN
    v_result.done := 0;
    -- A claim can return lots another transaction expired while it ran (their accounts, locked after that commit,
    -- are re-read; the lots are not): such a round expires less than it claimed. Claiming again, with a fresh
    -- look, fills the batch, so a pass ends short only when nothing more is claimable (five rounds at most).
    FOR v_round IN 1..5 LOOP
        SELECT array_agg(DISTINCT c.account_id ORDER BY c.account_id) INTO v_accounts
        FROM (
            SELECT a.id AS account_id
            FROM credit_lots l
            JOIN accounts a ON a.id = l.account_id
            WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= p_now
            ORDER BY l.expires_at
            LIMIT p_batch_size - v_result.done
            FOR UPDATE OF a SKIP LOCKED
        ) c;
        EXIT WHEN v_accounts IS NULL;

        -- From here on, expire_account_lots's statements over the claimed accounts.
        INSERT INTO accounts (kind, owner_id, currency, created_at)
        SELECT DISTINCT 'breakage', COALESCE(l.program_id::text, ''), l.currency, p_now
        FROM credit_lots l
        WHERE l.account_id = ANY (v_accounts) AND l.remaining > 0 AND l.expires_at <= p_now
          AND NOT EXISTS (SELECT 1 FROM accounts b
                          WHERE b.kind = 'breakage' AND b.owner_id = COALESCE(l.program_id::text, '')
                            AND b.currency = l.currency)
        ON CONFLICT (kind, owner_id, currency) DO NOTHING;

        WITH due AS (
            SELECT l.id, l.remaining FROM credit_lots l
            WHERE l.account_id = ANY (v_accounts) AND l.remaining > 0 AND l.expires_at <= p_now
        ), expired AS (
            UPDATE credit_lots l SET remaining = 0
            FROM due
            WHERE l.id = due.id
            RETURNING l.id, l.account_id, due.remaining AS amount, l.currency, l.program_id, l.redemption_id
        ), moved AS (
            INSERT INTO lot_movements (lot_id, kind, amount, redemption_id, created_at)
            SELECT e.id, 'expiry', -e.amount, e.redemption_id, p_now FROM expired e
        ), booked AS (
            INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase,
                                   kind, redemption_id, created_at)
            SELECT e.account_id, b.id, e.account_id, e.amount, e.currency, 'posted', 'expiry', e.redemption_id, p_now
            FROM expired e
            JOIN accounts b ON b.kind = 'breakage' AND b.owner_id = COALESCE(e.program_id::text, '')
                           AND b.currency = e.currency
            RETURNING amount
        ), debited AS (
            UPDATE accounts a SET debits_posted = a.debits_posted + s.amount
            FROM (SELECT e.account_id, SUM(e.amount) AS amount FROM expired e GROUP BY e.account_id) s
            WHERE a.id = s.account_id
        )
        SELECT (SELECT count(*) FROM expired), (SELECT COALESCE(SUM(e.amount), 0) FROM expired e),
               (SELECT COALESCE(SUM(b.amount), 0) FROM booked b)
        INTO v_lots, v_expired, v_booked;
        IF v_booked <> v_expired THEN
            RAISE EXCEPTION 'expire_credit_lots: expired % but booked % to breakage', v_expired, v_booked;
        END IF;
        v_result.done := v_result.done + v_lots;
        EXIT WHEN v_result.done >= p_batch_size;
    END LOOP;

    SELECT min(l.expires_at) INTO v_result.oldest_due
    FROM credit_lots l
    WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= p_now;
    RETURN NEXT v_result;
END;
$$;
