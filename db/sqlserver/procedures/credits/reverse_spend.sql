-- Gives spent credit back (order cancelled) with a new transfer from the spent account, to the lots the
-- spend took it from (a lot that expired meanwhile sends it straight to breakage; a spend from before 0013
-- comes back as a new lot without expiry: PG's reverse_spend.sql). What comes back then first pays what
-- the customer owes in that currency (dbo.settle_receivable), so credit a reversal took back cannot be
-- spent twice.
-- Locks, in order: the spend row, the customer's account, then their receivable.
CREATE OR ALTER PROCEDURE dbo.reverse_spend
    @id               uniqueidentifier,
    @now              datetimeoffset(6),
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @request_hash     char(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @outcome nvarchar(max);
    DECLARE @found uniqueidentifier, @spend_status varchar(10), @customer_id nvarchar(64), @amount bigint,
            @currency char(3), @account bigint, @balance bigint, @spent bigint;
    DECLARE @credited TABLE (account_id bigint NOT NULL, balance bigint NOT NULL);
    DECLARE @restored TABLE (lot_id bigint NOT NULL PRIMARY KEY, amount bigint NOT NULL);
    -- The spend_row being answered (PG: v_result).
    DECLARE @result dbo.spend_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC dbo.idempotency_begin @caller_id = @caller_id, @idempotency_key = @idempotency_key,
            @operation = 'reverse_spend', @request_hash = @request_hash, @outcome = @outcome OUTPUT;
        IF @outcome IS NOT NULL
        BEGIN
            INSERT INTO @result SELECT * FROM dbo.spend_from_json(@outcome);
            GOTO done;
        END;

        -- Each refusal below jumps to work_done (PG: EXIT work), where the outcome is stored.
        -- Row lock until commit: the spend's state decides everything below.
        -- UPDLOCK holds it to commit; no HOLDLOCK, which adds only a range lock when the id is missing.
        SELECT @found = s.id, @spend_status = s.status, @customer_id = s.customer_id, @amount = s.amount,
               @currency = s.currency
        FROM dbo.spends s WITH (UPDLOCK, ROWLOCK)
        WHERE s.id = @id;
        IF @found IS NULL
        BEGIN
            INSERT INTO @result (status) VALUES ('not_found');
            GOTO work_done;
        END;
        IF @spend_status <> 'spent'
        BEGIN
            INSERT INTO @result (status) VALUES ('invalid_state');
            GOTO work_done;
        END;

        UPDATE dbo.accounts SET credits_posted = credits_posted + @amount
        OUTPUT inserted.id, inserted.credits_posted - inserted.debits_posted INTO @credited (account_id, balance)
        WHERE kind = 'customer' AND owner_id = @customer_id AND currency = @currency;
        SELECT @account = c.account_id FROM @credited c;

        EXEC dbo.system_account @kind = 'spent', @owner_id = N'', @currency = @currency, @id = @spent OUTPUT;
        INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                                   spend_id, created_at)
        VALUES (@spent, @account, @account, @amount, @currency, 'posted', 'spend_reversal', @id, @now);

        -- Back to the lots it came from (what the spend's movements took from each).
        WITH took AS (
            SELECT m.lot_id, -SUM(m.amount) AS amount
            FROM dbo.lot_movements m
            WHERE m.spend_id = @id AND m.kind = 'spend'
            GROUP BY m.lot_id
        )
        UPDATE l SET remaining = l.remaining + t.amount
        OUTPUT inserted.id, t.amount INTO @restored (lot_id, amount)
        FROM dbo.credit_lots l
        JOIN took t ON t.lot_id = l.id;
        IF @@ROWCOUNT = 0
            EXEC dbo.grant_lot @account_id = @account, @amount = @amount, @program_id = NULL, @redemption_id = NULL,
                @expires_at = NULL, @now = @now;
        ELSE
            INSERT INTO dbo.lot_movements (lot_id, kind, amount, spend_id, created_at)
            SELECT r.lot_id, 'spend_reversal', r.amount, @id, @now
            FROM @restored r
            ORDER BY r.lot_id;
        EXEC dbo.expire_account_lots @account_id = @account, @now = @now;

        SELECT @balance = a.credits_posted - a.debits_posted FROM dbo.accounts a WHERE a.id = @account;
        EXEC dbo.settle_receivable @account_id = @account, @available = @balance, @redemption_id = NULL,
            @spend_id = @id, @now = @now, @available_after = @balance OUTPUT;
        UPDATE dbo.spends SET status = 'reversed', reversed_at = @now WHERE id = @id;

        INSERT INTO @result SELECT * FROM dbo.spend_view(@id);
        UPDATE @result SET balance_after = @balance;

    work_done:
        -- Only a keyed request stores its answer: no JSON is built for one without a key.
        IF @idempotency_key IS NOT NULL
        BEGIN
            SET @outcome = (SELECT * FROM @result FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
            EXEC dbo.idempotency_finish @caller_id = @caller_id, @idempotency_key = @idempotency_key,
                @operation = 'reverse_spend', @request_hash = @request_hash, @outcome = @outcome;
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
