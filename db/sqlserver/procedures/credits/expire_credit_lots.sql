-- Job: one pass of credit expiry, one transaction (the rules, and why the account row is the claim: PG's
-- expire_credit_lots.sql). Claims the accounts of the oldest due lots, through the due index in due order, up to
-- @batch_size lots: UPDLOCK holds each account row to commit, READPAST skips accounts another transaction holds (a
-- spend, another runner; PostgreSQL: FOR UPDATE OF a SKIP LOCKED). Then every due lot of the claimed accounts
-- expires, re-checked under the lock, in one set of statements per round: dbo.expire_account_lots's, over the
-- claimed accounts (T-SQL cannot pass the table of them on). done: the lots expired; oldest_due: the due time of
-- the oldest lot still due (UTC).
CREATE OR ALTER PROCEDURE dbo.expire_credit_lots
    @now         datetimeoffset(6),
    @batch_size  int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- At most 2,000 items per call whatever the runner asks (Jobs:BatchSize allows 100,000): a statement that takes
    -- 5,000 row locks on one table or index makes SQL Server escalate to a table lock, which would block every
    -- redemption, spend and qualify for the rest of the pass and which READPAST cannot skip (the other runner waits).
    -- Each round updates a row per lot and inserts a movement and a transfer per lot.
    -- The runner calls again while done > 0 and oldest_due is set.
    IF @batch_size > 2000
        SET @batch_size = 2000;
    DECLARE @claimed TABLE (account_id bigint NOT NULL PRIMARY KEY);
    DECLARE @expired TABLE (
        lot_id         bigint           NOT NULL PRIMARY KEY,
        account_id     bigint           NOT NULL,
        amount         bigint           NOT NULL,
        currency       char(3)          COLLATE Latin1_General_100_BIN2 NOT NULL,
        program_id     uniqueidentifier NULL,
        redemption_id  uniqueidentifier NULL);
    DECLARE @done int = 0, @round int = 0, @lots int, @booked int, @oldest_due datetimeoffset(6);

    BEGIN TRY
        BEGIN TRANSACTION;

        -- Rounds (five at most) until the batch is full or nothing more is claimable: a claim can return lots
        -- another transaction expired while it ran (PG's expire_credit_lots.sql).
        WHILE @round < 5 AND @done < @batch_size
        BEGIN
            SET @round += 1;
            DELETE FROM @claimed;
            DELETE FROM @expired;
            INSERT INTO @claimed (account_id)
            SELECT DISTINCT c.account_id
            FROM (
                -- LOOP JOIN (which keeps the written join order): the due index drives, and only the accounts of
                -- the lots taken are read, so locked; a scan of accounts would lock every account it passed.
                -- READPAST on the lots too: a lot another runner is expiring is skipped, not waited for (under
                -- locking read committed two runners' second rounds would wait on each other's first).
                SELECT TOP (@batch_size - @done) a.id AS account_id
                FROM dbo.credit_lots l WITH (READPAST)
                INNER LOOP JOIN dbo.accounts a WITH (UPDLOCK, READPAST, ROWLOCK) ON a.id = l.account_id
                WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= @now
                ORDER BY l.expires_at
            ) AS c;
            IF @@ROWCOUNT = 0
                BREAK;

            -- Breakage accounts on first use, as dbo.expire_account_lots opens them.
            IF EXISTS (SELECT 1 FROM @claimed c
                       JOIN dbo.credit_lots l ON l.account_id = c.account_id
                       WHERE l.remaining > 0 AND l.expires_at <= @now
                         AND NOT EXISTS (SELECT 1 FROM dbo.accounts b
                                         WHERE b.kind = 'breakage'
                                           AND b.owner_id = COALESCE(LOWER(CONVERT(nvarchar(36), l.program_id)), N'')
                                           AND b.currency = l.currency))
                INSERT INTO dbo.accounts (kind, owner_id, currency, created_at)
                SELECT DISTINCT 'breakage', COALESCE(LOWER(CONVERT(nvarchar(36), l.program_id)), N''), l.currency, @now
                FROM @claimed c
                JOIN dbo.credit_lots l ON l.account_id = c.account_id
                WHERE l.remaining > 0 AND l.expires_at <= @now
                  AND NOT EXISTS (SELECT 1 FROM dbo.accounts b WITH (UPDLOCK, HOLDLOCK)
                                  WHERE b.kind = 'breakage'
                                    AND b.owner_id = COALESCE(LOWER(CONVERT(nvarchar(36), l.program_id)), N'')
                                    AND b.currency = l.currency);

            UPDATE l SET remaining = 0
            OUTPUT inserted.id, inserted.account_id, deleted.remaining, inserted.currency, inserted.program_id,
                   inserted.redemption_id
                INTO @expired (lot_id, account_id, amount, currency, program_id, redemption_id)
            FROM dbo.credit_lots l
            JOIN @claimed c ON c.account_id = l.account_id
            WHERE l.remaining > 0 AND l.expires_at <= @now;
            SET @lots = @@ROWCOUNT;

            INSERT INTO dbo.lot_movements (lot_id, kind, amount, redemption_id, created_at)
            SELECT e.lot_id, 'expiry', -e.amount, e.redemption_id, @now
            FROM @expired e
            ORDER BY e.lot_id;

            INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency,
                                       phase, kind, redemption_id, created_at)
            SELECT e.account_id, b.id, e.account_id, e.amount, e.currency, 'posted', 'expiry', e.redemption_id, @now
            FROM @expired e
            JOIN dbo.accounts b ON b.kind = 'breakage'
                               AND b.owner_id = COALESCE(LOWER(CONVERT(nvarchar(36), e.program_id)), N'')
                               AND b.currency = e.currency
            ORDER BY e.lot_id;
            SET @booked = @@ROWCOUNT;
            IF @booked <> @lots
                THROW 50012, N'dbo.expire_credit_lots: an expired lot has no breakage account.', 1;

            UPDATE a SET debits_posted = a.debits_posted + s.amount
            FROM dbo.accounts a
            JOIN (SELECT e.account_id, SUM(e.amount) AS amount FROM @expired e GROUP BY e.account_id) AS s
              ON s.account_id = a.id;
            SET @done += @lots;
        END;

        -- READPAST, as post_held_rewards and expire_redemptions read theirs: under locking read committed (RCSI off,
        -- which README allows) this read would wait, holding the claimed accounts and any breakage account this pass
        -- opened, on lots another runner expired (their due-index rows) or a spend, qualify or reversal is taking
        -- from, and those can be waiting on a row this pass holds: a deadlock. PostgreSQL's read never waits.
        SELECT @oldest_due = MIN(l.expires_at)
        FROM dbo.credit_lots l WITH (READPAST)
        WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= @now;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT @done AS done, CONVERT(datetime2(6), SWITCHOFFSET(@oldest_due, '+00:00')) AS oldest_due;
END;
