-- Job: expires pending redemptions not qualified by their deadline (qualify_by <= @now), oldest first, up to
-- @batch_size of them, in this one transaction: status 'expired' (expired_at @now), their pending legs voided, the
-- use given back exactly as reverse_redemption gives it (the code's count where a limit keeps it, the customer's uses
-- of a partner program), and what they committed of their program's budget released. Answers one row: done, how many
-- it expired, and oldest_due, the deadline of the oldest pending redemption still due after it (NULL: none).
-- Several runners at once: each claims its redemptions through the due index with UPDLOCK, READPAST, so no two take
-- the same one and none waits for another (PostgreSQL: FOR UPDATE SKIP LOCKED); the claim re-checks the status on
-- the locked row (a qualify may have won it).
-- Locks, in the order every procedure takes them, each kind for the whole batch before the next: the claimed
-- redemption rows, the code rows (by code), the customer_uses rows (by program, customer), the program rows of
-- programs with a budget (by id), then the customers' accounts by owner id.
CREATE OR ALTER PROCEDURE dbo.expire_redemptions
    @now         datetimeoffset(6),
    @batch_size  int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- At most 2,000 items per call whatever the runner asks (Jobs:BatchSize allows 100,000): a statement that takes
    -- 5,000 row locks on one table or index makes SQL Server escalate to a table lock, which would block every
    -- redemption, spend and qualify for the rest of the pass and which READPAST cannot skip (the other runner waits).
    -- The claim updates a row per redemption and the voids insert two transfers per redemption (4,000).
    -- The runner calls again while done > 0 and oldest_due is set.
    IF @batch_size > 2000
        SET @batch_size = 2000;
    DECLARE @claimed TABLE (
        id          uniqueidentifier NOT NULL PRIMARY KEY,
        program_id  uniqueidentifier NOT NULL,
        code        nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL,
        kind        varchar(10) NOT NULL,
        referee_id  nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
        committed   bigint NOT NULL);
    DECLARE @done int, @oldest_due datetimeoffset(6), @account bigint, @program_id uniqueidentifier,
            @code nvarchar(32), @kind varchar(10), @referee_id nvarchar(64), @uses int, @amount bigint,
            @per_code int, @budget bigint;

    BEGIN TRY
        BEGIN TRANSACTION;

        -- Claim and move on in one statement: the oldest deadline first, skipping rows another runner (or a qualify or
        -- reversal) holds; UPDLOCK holds each claimed row to commit, and the update re-checks its status once locked.
        WITH due AS (
            SELECT TOP (@batch_size) r.id, r.status, r.expired_at, r.program_id, r.code, r.kind, r.referee_id,
                   r.referrer_reward, r.referee_reward, r.discount
            FROM dbo.redemptions r WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE r.status = 'pending' AND r.qualify_by IS NOT NULL AND r.qualify_by <= @now
            ORDER BY r.qualify_by
        )
        UPDATE due SET status = 'expired', expired_at = @now
        OUTPUT inserted.id, inserted.program_id, inserted.code, inserted.kind, inserted.referee_id,
               inserted.referrer_reward + inserted.referee_reward + inserted.discount
        INTO @claimed (id, program_id, code, kind, referee_id, committed);
        SET @done = @@ROWCOUNT;

        IF @done > 0
        BEGIN
            -- The uses back, one code at a time in code order: reward_count is kept for referral codes and for codes
            -- with a limit (see reverse_redemption: the program is read first and apart), never taken below zero.
            DECLARE codes CURSOR LOCAL STATIC READ_ONLY FORWARD_ONLY FOR
                SELECT c.code, c.kind, c.program_id, COUNT(*) FROM @claimed c
                GROUP BY c.code, c.kind, c.program_id
                ORDER BY c.code;
            OPEN codes;
            FETCH NEXT FROM codes INTO @code, @kind, @program_id, @uses;
            WHILE @@FETCH_STATUS = 0
            BEGIN
                SELECT @per_code = p.max_redemptions_per_code FROM dbo.programs p WHERE p.id = @program_id;
                UPDATE dbo.referral_codes
                SET reward_count = CASE WHEN reward_count > @uses THEN reward_count - @uses ELSE 0 END
                WHERE code = @code AND reward_count > 0
                  AND (@kind = 'referral' OR max_redemptions IS NOT NULL OR @per_code IS NOT NULL);
                FETCH NEXT FROM codes INTO @code, @kind, @program_id, @uses;
            END;
            CLOSE codes;
            DEALLOCATE codes;

            DECLARE customers CURSOR LOCAL STATIC READ_ONLY FORWARD_ONLY FOR
                SELECT c.program_id, c.referee_id, COUNT(*) FROM @claimed c
                WHERE c.kind <> 'referral'
                GROUP BY c.program_id, c.referee_id
                ORDER BY c.program_id, c.referee_id;
            OPEN customers;
            FETCH NEXT FROM customers INTO @program_id, @referee_id, @uses;
            WHILE @@FETCH_STATUS = 0
            BEGIN
                UPDATE dbo.customer_uses SET uses = uses - @uses
                WHERE program_id = @program_id AND customer_id = @referee_id;
                FETCH NEXT FROM customers INTO @program_id, @referee_id, @uses;
            END;
            CLOSE customers;
            DEALLOCATE customers;

            -- The budget back; a program without one is only read (see reverse_redemption).
            DECLARE budgets CURSOR LOCAL STATIC READ_ONLY FORWARD_ONLY FOR
                SELECT c.program_id, SUM(c.committed) FROM @claimed c
                GROUP BY c.program_id
                ORDER BY c.program_id;
            OPEN budgets;
            FETCH NEXT FROM budgets INTO @program_id, @amount;
            WHILE @@FETCH_STATUS = 0
            BEGIN
                SET @budget = NULL;
                SELECT @budget = p.budget FROM dbo.programs p WHERE p.id = @program_id;
                IF @budget IS NOT NULL
                    UPDATE dbo.programs SET committed = committed - @amount
                    WHERE id = @program_id AND budget IS NOT NULL;
                FETCH NEXT FROM budgets INTO @program_id, @amount;
            END;
            CLOSE budgets;
            DEALLOCATE budgets;

            -- Void the pending legs: every account the batch touches, locked in owner id order before any is written,
            -- one row per statement so the order is certain.
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

            UPDATE a SET credits_pending = a.credits_pending - x.amount
            FROM dbo.accounts a
            JOIN (SELECT t.credit_account_id AS account_id, SUM(t.amount) AS amount
                  FROM dbo.transfers t JOIN @claimed c ON c.id = t.redemption_id
                  WHERE t.phase = 'pending'
                  GROUP BY t.credit_account_id) x ON a.id = x.account_id;
            INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase,
                                       pending_id, kind, redemption_id, created_at)
            SELECT t.debit_account_id, t.credit_account_id, t.customer_account_id, t.amount, t.currency, 'void', t.id,
                   t.kind, t.redemption_id, @now
            FROM dbo.transfers t JOIN @claimed c ON c.id = t.redemption_id
            WHERE t.phase = 'pending'
            ORDER BY t.id;
        END;

        -- READPAST: rows another runner is expiring are not waited for (they are not due after its commit).
        SELECT TOP (1) @oldest_due = r.qualify_by
        FROM dbo.redemptions r WITH (READPAST)
        WHERE r.status = 'pending' AND r.qualify_by IS NOT NULL AND r.qualify_by <= @now
        ORDER BY r.qualify_by;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT @done AS done, CONVERT(datetime2(6), SWITCHOFFSET(@oldest_due, '+00:00')) AS oldest_due;
END;
