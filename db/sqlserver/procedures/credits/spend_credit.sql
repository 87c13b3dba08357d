-- Spends posted credit at checkout. Never overdraws: the debit is a guarded single-statement
-- update on the customer's account row. One spend per order per customer (natural key).
-- status 'existing': this order already has this very spend (a retry without a key).
-- Expired credit is never spent: under the account's row lock, its lots due at @now expire (to breakage)
-- before the debit counts (a debit that finds due lots is undone and redone after their expiry), which then
-- takes from the lots, soonest expiry first (dbo.take_from_lots).
-- Locks, in order: the customer's account (the guarded debit takes it), then the new (customer, order) key (a lost race undoes the debit).
CREATE OR ALTER PROCEDURE dbo.spend_credit
    @id               uniqueidentifier,
    @customer_id      nvarchar(64),
    @amount           bigint,
    @currency         char(3),
    @order_id         nvarchar(64),
    @now              datetimeoffset(6),
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @request_hash     char(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @outcome nvarchar(max);
    DECLARE @account bigint, @balance bigint, @spent bigint;
    DECLARE @existing_id uniqueidentifier, @existing_amount bigint, @existing_currency char(3);
    DECLARE @debited TABLE (account_id bigint NOT NULL, balance bigint NOT NULL);
    -- The spend_row being answered (PG: v_result).
    DECLARE @result dbo.spend_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC dbo.idempotency_begin @caller_id = @caller_id, @idempotency_key = @idempotency_key,
            @operation = 'spend_credit', @request_hash = @request_hash, @outcome = @outcome OUTPUT;
        IF @outcome IS NOT NULL
        BEGIN
            INSERT INTO @result SELECT * FROM dbo.spend_from_json(@outcome);
            GOTO done;
        END;

        -- Each refusal below jumps to work_done (PG: EXIT work), where the outcome is stored.
        -- A spend already committed for this order answers as a retry. No range lock on the missing
        -- (customer, order) key (it would make unrelated new orders queue): a concurrent spend for the
        -- same order is found at the insert below, as PostgreSQL's ON CONFLICT finds it.
    existing:
        SELECT @existing_id = s.id, @existing_amount = s.amount, @existing_currency = s.currency
        FROM dbo.spends s
        WHERE s.customer_id = @customer_id AND s.order_id = @order_id;
        IF @existing_id IS NOT NULL
        BEGIN
            IF @existing_amount = @amount AND @existing_currency = @currency COLLATE Latin1_General_100_BIN2
            BEGIN
                INSERT INTO @result SELECT * FROM dbo.spend_view(@existing_id);
                UPDATE @result SET status = 'existing';
            END
            ELSE
                INSERT INTO @result (status) VALUES ('duplicate_order');
            GOTO work_done;
        END;

        -- Guarded debit first: race-free, never below zero, and it takes the account's row lock. Lots are only due
        -- now and then: when the account has some (one seek of credit_lots_account_ix, under the lock), the debit is
        -- undone, they expire, and the guarded debit runs again on what is left (PG: the same order).
        SET @account = NULL;
        DELETE FROM @debited;
        UPDATE dbo.accounts SET debits_posted = debits_posted + @amount
        OUTPUT inserted.id, inserted.credits_posted - inserted.debits_posted INTO @debited (account_id, balance)
        WHERE kind = 'customer' AND owner_id = @customer_id AND currency = @currency
          AND credits_posted - debits_posted >= @amount;
        SELECT @account = d.account_id, @balance = d.balance FROM @debited d;
        IF @account IS NOT NULL
        BEGIN
            IF EXISTS (SELECT 1 FROM dbo.credit_lots l
                       WHERE l.account_id = @account AND l.remaining > 0 AND l.expires_at <= @now)
            BEGIN
                UPDATE dbo.accounts SET debits_posted = debits_posted - @amount WHERE id = @account;
                EXEC dbo.expire_account_lots @account_id = @account, @now = @now;
                DELETE FROM @debited;
                UPDATE dbo.accounts SET debits_posted = debits_posted + @amount
                OUTPUT inserted.id, inserted.credits_posted - inserted.debits_posted INTO @debited (account_id, balance)
                WHERE id = @account AND credits_posted - debits_posted >= @amount;
                SET @account = NULL;
                SELECT @account = d.account_id, @balance = d.balance FROM @debited d;
            END;
        END
        ELSE
        BEGIN
            -- Refused: its due lots still expire, as before any debit (UPDLOCK to commit; no HOLDLOCK: a missing
            -- account needs no range lock).
            SELECT @account = a.id
            FROM dbo.accounts a WITH (UPDLOCK, ROWLOCK)
            WHERE a.kind = 'customer' AND a.owner_id = @customer_id AND a.currency = @currency;
            IF @account IS NOT NULL
            BEGIN
                EXEC dbo.expire_account_lots @account_id = @account, @now = @now;
                SET @account = NULL;
            END;
        END;
        IF @account IS NULL
        BEGIN
            -- A concurrent spend for this very order may have taken the credit and committed while the
            -- debit waited for the account's row lock: it answers, as the range lock made it answer before.
            IF EXISTS (SELECT 1 FROM dbo.spends s WHERE s.customer_id = @customer_id AND s.order_id = @order_id)
                GOTO existing;
            IF NOT EXISTS (SELECT 1 FROM dbo.accounts a
                           WHERE a.kind = 'customer' AND a.owner_id = @customer_id AND a.currency = @currency)
               AND EXISTS (SELECT 1 FROM dbo.accounts a WHERE a.kind = 'customer' AND a.owner_id = @customer_id)
                INSERT INTO @result (status) VALUES ('currency_mismatch');
            ELSE
                INSERT INTO @result (status) VALUES ('insufficient_credit');
            GOTO work_done;
        END;

        -- Insert first (XACT_ABORT OFF for this statement only, see add_to_account): a concurrent
        -- spend for this order holds its key until it commits, then this fails with a duplicate key, the
        -- debit is undone and the committed spend answers as above.
        DECLARE @inserted bit = 0;
        SET XACT_ABORT OFF;
        BEGIN TRY
            INSERT INTO dbo.spends (id, customer_id, order_id, amount, currency, status, balance_after, created_at)
            VALUES (@id, @customer_id, @order_id, @amount, @currency, 'spent', @balance, @now);
            SET @inserted = 1;
        END TRY
        BEGIN CATCH
            -- Only the natural key is "exists"; any other duplicate (an id) is an error, as on PostgreSQL.
            IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1
               OR ERROR_MESSAGE() NOT LIKE N'%''spends_order_uq''%'
                THROW;
        END CATCH;
        SET XACT_ABORT ON;
        IF @inserted = 0
        BEGIN
            UPDATE dbo.accounts SET debits_posted = debits_posted - @amount WHERE id = @account;
            GOTO existing;
        END;

        EXEC dbo.system_account @kind = 'spent', @owner_id = N'', @currency = @currency, @id = @spent OUTPUT;
        INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                                   spend_id, created_at)
        VALUES (@account, @spent, @account, @amount, @currency, 'posted', 'spend', @id, @now);
        EXEC dbo.take_from_lots @account_id = @account, @amount = @amount, @kind = 'spend', @redemption_id = NULL,
            @spend_id = @id, @now = @now;
        INSERT INTO @result SELECT * FROM dbo.spend_view(@id);

    work_done:
        -- Only a keyed request stores its answer: no JSON is built for one without a key.
        IF @idempotency_key IS NOT NULL
        BEGIN
            SET @outcome = (SELECT * FROM @result FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
            EXEC dbo.idempotency_finish @caller_id = @caller_id, @idempotency_key = @idempotency_key,
                @operation = 'spend_credit', @request_hash = @request_hash, @outcome = @outcome;
        END;

    done:
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT * FROM @result;
END;
