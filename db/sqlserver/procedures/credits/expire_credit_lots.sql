-- Job: one pass of credit expiry, one transaction (the rules, and why the account row is the claim: PG's
-- expire_credit_lots.sql). Claims the accounts of the oldest due lots, through the due index in due order, up to
-- @batch_size lots: UPDLOCK holds each account row to commit, READPAST skips accounts another transaction holds (a
-- spend, another runner; PostgreSQL: FOR UPDATE OF a SKIP LOCKED). Every due lot of a claimed account expires
-- (dbo.expire_account_lots, which re-checks each lot under the lock). done: the lots expired; oldest_due: the
-- oldest due lot left (UTC).
CREATE OR ALTER PROCEDURE dbo.expire_credit_lots
    @now         datetimeoffset(6),
    @batch_size  int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @claimed TABLE (account_id bigint NOT NULL PRIMARY KEY);
    DECLARE @account bigint, @done int = 0, @oldest_due datetimeoffset(6);

    BEGIN TRY
        BEGIN TRANSACTION;

        INSERT INTO @claimed (account_id)
        SELECT DISTINCT c.account_id
        FROM (
            SELECT TOP (@batch_size) a.id AS account_id
            FROM dbo.credit_lots l
            JOIN dbo.accounts a WITH (UPDLOCK, READPAST, ROWLOCK) ON a.id = l.account_id
            WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= @now
            ORDER BY l.expires_at
        ) AS c;

        -- Under the account locks: exactly what the calls below expire.
        SELECT @done = COUNT(*)
        FROM @claimed c
        JOIN dbo.credit_lots l ON l.account_id = c.account_id
        WHERE l.remaining > 0 AND l.expires_at <= @now;

        SELECT @account = MIN(c.account_id) FROM @claimed c;
        WHILE @account IS NOT NULL
        BEGIN
            EXEC dbo.expire_account_lots @account_id = @account, @now = @now;
            SELECT @account = MIN(c.account_id) FROM @claimed c WHERE c.account_id > @account;
        END;

        SELECT @oldest_due = MIN(l.expires_at)
        FROM dbo.credit_lots l
        WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= @now;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT @done AS done, CONVERT(datetime2(6), SWITCHOFFSET(@oldest_due, '+00:00')) AS oldest_due;
END;
