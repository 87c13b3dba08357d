-- Job: posts the rewards of held redemptions whose hold has ended (available_at <= @now), oldest first, up to
-- @batch_size of them, in this one transaction: each leg exactly as qualify_redemption posts it (the pending credit
-- posts, becomes a credit lot expiring @now + credit_expiry_days, then pays what its customer owes), its credit_holds
-- row goes, and the redemption is 'rewarded'. Answers one row: done, how many it posted, and oldest_due, the due
-- time of the oldest held redemption still due after it (NULL: none).
-- Several runners at once: each claims its redemptions through the due index with UPDLOCK, READPAST, so no two take
-- the same one and none waits for another (PostgreSQL: FOR UPDATE SKIP LOCKED); the claim re-checks the status on
-- the locked row (a reversal may have won it).
-- Locks, in order: the claimed redemption rows, then all their customers' accounts by owner id (one order for the
-- whole batch, as two redemptions' legs can share a customer), then the receivables as the legs settle.
CREATE OR ALTER PROCEDURE dbo.post_held_rewards
    @now         datetimeoffset(6),
    @batch_size  int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- At most 2,000 items per call whatever the runner asks (Jobs:BatchSize allows 100,000): a statement that takes
    -- 5,000 row locks on one table or index makes SQL Server escalate to a table lock, which would block every
    -- redemption, spend and qualify for the rest of the pass and which READPAST cannot skip (the other runner waits).
    -- The claim updates a row per redemption; the legs are written a row per statement.
    -- The runner calls again while done > 0 and oldest_due is set.
    IF @batch_size > 2000
        SET @batch_size = 2000;
    DECLARE @claimed TABLE (id uniqueidentifier NOT NULL PRIMARY KEY);
    DECLARE @done int, @oldest_due datetimeoffset(6), @account bigint, @available bigint, @ignored bigint;
    DECLARE @leg_id bigint, @leg_debit_account_id bigint, @leg_credit_account_id bigint,
            @leg_customer_account_id bigint, @leg_amount bigint, @leg_currency char(3), @leg_kind varchar(20),
            @leg_redemption_id uniqueidentifier, @leg_program_id uniqueidentifier, @leg_expiry_days int,
            @expires_at datetimeoffset(6);

    BEGIN TRY
        BEGIN TRANSACTION;

        -- Claim and move on in one statement: the oldest due first, skipping rows another runner (or a reversal)
        -- holds; UPDLOCK holds each claimed row to commit, and the update re-checks its status once locked.
        WITH due AS (
            SELECT TOP (@batch_size) r.id, r.status
            FROM dbo.redemptions r WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE r.status = 'held' AND r.available_at <= @now
            ORDER BY r.available_at
        )
        UPDATE due SET status = 'rewarded'
        OUTPUT inserted.id INTO @claimed (id);
        SET @done = @@ROWCOUNT;

        IF @done > 0
        BEGIN
            -- Every account the batch posts to, locked in owner id order before any is written, one row per
            -- statement so the order is certain.
            DECLARE accounts_to_lock CURSOR LOCAL STATIC READ_ONLY FORWARD_ONLY FOR
                SELECT a.id FROM dbo.accounts a
                WHERE a.id IN (SELECT t.credit_account_id FROM dbo.transfers t JOIN @claimed c ON c.id = t.redemption_id
                               WHERE t.phase = 'pending')
                ORDER BY a.owner_id, a.id;
            OPEN accounts_to_lock;
            FETCH NEXT FROM accounts_to_lock INTO @account;
            WHILE @@FETCH_STATUS = 0
            BEGIN
                SELECT @account = a.id FROM dbo.accounts a WITH (UPDLOCK, ROWLOCK) WHERE a.id = @account;
                FETCH NEXT FROM accounts_to_lock INTO @account;
            END;
            CLOSE accounts_to_lock;
            DEALLOCATE accounts_to_lock;

            -- Each leg as qualify_redemption posts it, in the same owner id order.
            DECLARE legs CURSOR LOCAL STATIC READ_ONLY FORWARD_ONLY FOR
                SELECT t.id, t.debit_account_id, t.credit_account_id, t.customer_account_id, t.amount, t.currency,
                       t.kind, t.redemption_id, r.program_id, p.credit_expiry_days
                FROM @claimed c
                JOIN dbo.transfers t ON t.redemption_id = c.id AND t.phase = 'pending'
                JOIN dbo.accounts a ON a.id = t.credit_account_id
                JOIN dbo.redemptions r ON r.id = c.id
                JOIN dbo.programs p ON p.id = r.program_id
                ORDER BY a.owner_id, a.id, t.id;
            OPEN legs;
            FETCH NEXT FROM legs INTO @leg_id, @leg_debit_account_id, @leg_credit_account_id, @leg_customer_account_id,
                                      @leg_amount, @leg_currency, @leg_kind, @leg_redemption_id, @leg_program_id,
                                      @leg_expiry_days;
            WHILE @@FETCH_STATUS = 0
            BEGIN
                UPDATE dbo.accounts
                SET credits_pending = credits_pending - @leg_amount, credits_posted = credits_posted + @leg_amount
                WHERE id = @leg_credit_account_id;
                SELECT @available = a.credits_posted - a.debits_posted FROM dbo.accounts a WHERE a.id = @leg_credit_account_id;
                INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency,
                                           phase, pending_id, kind, redemption_id, created_at)
                VALUES (@leg_debit_account_id, @leg_credit_account_id, @leg_customer_account_id, @leg_amount,
                        @leg_currency, 'post', @leg_id, @leg_kind, @leg_redemption_id, @now);
                DELETE FROM dbo.credit_holds
                WHERE account_id = @leg_credit_account_id AND redemption_id = @leg_redemption_id;
                SET @expires_at = DATEADD(day, @leg_expiry_days, @now);
                EXEC dbo.grant_lot @account_id = @leg_credit_account_id, @amount = @leg_amount,
                    @program_id = @leg_program_id, @redemption_id = @leg_redemption_id, @expires_at = @expires_at,
                    @now = @now;
                EXEC dbo.settle_receivable @account_id = @leg_credit_account_id, @available = @available,
                    @redemption_id = @leg_redemption_id, @spend_id = NULL, @now = @now, @available_after = @ignored OUTPUT;
                FETCH NEXT FROM legs INTO @leg_id, @leg_debit_account_id, @leg_credit_account_id,
                                          @leg_customer_account_id, @leg_amount, @leg_currency, @leg_kind,
                                          @leg_redemption_id, @leg_program_id, @leg_expiry_days;
            END;
            CLOSE legs;
            DEALLOCATE legs;
        END;

        -- READPAST: rows another runner is posting are not waited for (they are not due after its commit).
        SELECT TOP (1) @oldest_due = r.available_at
        FROM dbo.redemptions r WITH (READPAST)
        WHERE r.status = 'held' AND r.available_at <= @now
        ORDER BY r.available_at;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT @done AS done, CONVERT(datetime2(6), SWITCHOFFSET(@oldest_due, '+00:00')) AS oldest_due;
END;
