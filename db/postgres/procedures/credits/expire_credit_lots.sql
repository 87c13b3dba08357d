-- Job: one pass of credit expiry, one transaction. Claims the accounts of the oldest due lots (through the due
-- index, in due order, up to p_batch_size lots) with FOR UPDATE SKIP LOCKED on the account rows, and expires every
-- due lot of each claimed account (expire_account_lots). The account row is the claim, not the lot: every change to
-- an account's lots happens under its row lock, so a runner holding it never waits on a lot, while claiming lots and
-- then their accounts lets two runners deadlock (each holding an account whose lot the other claimed). An account
-- another transaction holds (a spend, another runner) is skipped and comes back in a later pass; expiry re-checks
-- each lot under the lock, so a lot is expired once. done: the lots expired; oldest_due: the oldest still due.
CREATE OR REPLACE FUNCTION expire_credit_lots(p_now timestamptz, p_batch_size integer)
RETURNS SETOF job_row
LANGUAGE plpgsql AS $$
DECLARE
    v_accounts bigint[];
    v_account bigint;
    v_result job_row;
BEGIN
    SELECT array_agg(DISTINCT c.account_id ORDER BY c.account_id) INTO v_accounts
    FROM (
        SELECT a.id AS account_id
        FROM credit_lots l
        JOIN accounts a ON a.id = l.account_id
        WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= p_now
        ORDER BY l.expires_at
        LIMIT p_batch_size
        FOR UPDATE OF a SKIP LOCKED
    ) c;

    v_result.done := 0;
    IF v_accounts IS NOT NULL THEN
        -- Under the account locks: exactly what the calls below expire.
        SELECT count(*) INTO v_result.done
        FROM credit_lots l
        WHERE l.account_id = ANY (v_accounts) AND l.remaining > 0 AND l.expires_at <= p_now;
        FOREACH v_account IN ARRAY v_accounts LOOP
            PERFORM expire_account_lots(v_account, p_now);
        END LOOP;
    END IF;

    SELECT min(l.expires_at) INTO v_result.oldest_due
    FROM credit_lots l
    WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= p_now;
    RETURN NEXT v_result;
END;
$$;
