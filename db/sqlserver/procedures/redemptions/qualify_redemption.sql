-- The qualifying order posts the redemption's pending legs (a referral's rewards, a partner's commission and credit
-- offer); posted credit becomes a credit lot (expiring @now + credit_expiry_days, or never), then first pays what its
-- customer owes. It also records that the customer has ordered (newCustomersOnly). A promo redemption is complete when
-- recorded ('redeemed'): it cannot be qualified. Where the program has a hold (hold_days), the legs stay pending and
-- the redemption is 'held' until @now + hold_days: one credit_holds row per leg says when, and the job runner's
-- post_held_rewards posts them then. Where it has a deadline, an order at or after qualify_by, or for a redemption the
-- runner has expired, is qualification_window_closed.
-- Locks, in order: the redemption row, then both customers' accounts by owner id, then their
-- receivables by owner id, then the customer's ordering_customers key.
CREATE OR ALTER PROCEDURE dbo.qualify_redemption
    @id               uniqueidentifier,
    @order_id         nvarchar(64),
    @order_amount     bigint,
    @now              datetimeoffset(6),
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @request_hash     char(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @outcome nvarchar(max);
    DECLARE @found uniqueidentifier, @redemption_status varchar(10), @qualifying_order_id nvarchar(64),
            @program_id uniqueidentifier, @referee_id nvarchar(64), @minimum bigint, @account bigint, @amount bigint,
            @available bigint, @ignored bigint, @qualify_by datetimeoffset(6), @hold_days int, @expiry_days int,
            @expires_at datetimeoffset(6);
    DECLARE @posted TABLE (account_id bigint NOT NULL, amount bigint NOT NULL, available bigint NOT NULL);
    -- The redemption_row being answered (PG: v_result).
    DECLARE @result dbo.redemption_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC dbo.idempotency_begin @caller_id = @caller_id, @idempotency_key = @idempotency_key,
            @operation = 'qualify_redemption', @request_hash = @request_hash, @outcome = @outcome OUTPUT;
        IF @outcome IS NOT NULL
        BEGIN
            INSERT INTO @result SELECT * FROM dbo.redemption_from_json(@outcome);
            GOTO done;
        END;

        -- Each refusal below jumps to work_done (PG: EXIT work), where the outcome is stored.
        -- Row lock until commit: the redemption's state decides everything below.
        -- UPDLOCK holds it to commit; no HOLDLOCK, which adds only a range lock when the id is missing.
        SELECT @found = r.id, @redemption_status = r.status, @qualifying_order_id = r.qualifying_order_id,
               @program_id = r.program_id, @referee_id = r.referee_id, @qualify_by = r.qualify_by
        FROM dbo.redemptions r WITH (UPDLOCK, ROWLOCK)
        WHERE r.id = @id;
        IF @found IS NULL
        BEGIN
            INSERT INTO @result (status) VALUES ('not_found');
            GOTO work_done;
        END;
        -- The same qualifying order again is a retry: answer with the current state.
        IF @redemption_status IN ('rewarded', 'held') AND @qualifying_order_id = @order_id COLLATE Latin1_General_100_BIN2
        BEGIN
            INSERT INTO @result SELECT * FROM dbo.redemption_view(@id);
            GOTO work_done;
        END;
        -- Late, whether or not the job runner has expired it yet.
        IF @redemption_status = 'expired' OR (@redemption_status = 'pending' AND @now >= @qualify_by)
        BEGIN
            INSERT INTO @result (status) VALUES ('qualification_window_closed');
            GOTO work_done;
        END;
        IF @redemption_status <> 'pending'
        BEGIN
            INSERT INTO @result (status) VALUES ('invalid_state');
            GOTO work_done;
        END;
        SELECT @minimum = p.minimum_order_amount, @hold_days = p.hold_days, @expiry_days = p.credit_expiry_days
        FROM dbo.programs p WHERE p.id = @program_id;
        IF @order_amount < @minimum
        BEGIN
            INSERT INTO @result (status) VALUES ('order_below_minimum');
            GOTO work_done;
        END;

        IF @hold_days IS NOT NULL
        BEGIN
            -- The legs stay pending; each customer's balance shows them as pending until available_at. No account
            -- row is written, so none is locked.
            INSERT INTO dbo.credit_holds (account_id, redemption_id, amount, available_at)
            SELECT t.credit_account_id, @id, t.amount, DATEADD(day, @hold_days, @now)
            FROM dbo.transfers t
            WHERE t.redemption_id = @id AND t.phase = 'pending';
        END
        ELSE
        BEGIN
            SET @expires_at = DATEADD(day, @expiry_days, @now);

            -- Lock both accounts in owner id order (the order every procedure uses), one row per
            -- statement so the order is certain, then move the credit.
            DECLARE legs CURSOR LOCAL STATIC READ_ONLY FORWARD_ONLY FOR
                SELECT a.id FROM dbo.accounts a
                WHERE a.id IN (SELECT t.credit_account_id FROM dbo.transfers t
                               WHERE t.redemption_id = @id AND t.phase = 'pending')
                ORDER BY a.owner_id;
            OPEN legs;
            FETCH NEXT FROM legs INTO @account;
            WHILE @@FETCH_STATUS = 0
            BEGIN
                SELECT @account = a.id FROM dbo.accounts a WITH (UPDLOCK, ROWLOCK) WHERE a.id = @account;
                FETCH NEXT FROM legs INTO @account;
            END;
            CLOSE legs;
            DEALLOCATE legs;

            UPDATE a
            SET credits_pending = a.credits_pending - x.amount,
                credits_posted = a.credits_posted + x.amount
            OUTPUT inserted.id, x.amount, inserted.credits_posted - inserted.debits_posted INTO @posted (account_id, amount, available)
            FROM dbo.accounts a
            JOIN (SELECT t.credit_account_id AS account_id, t.amount
                  FROM dbo.transfers t
                  WHERE t.redemption_id = @id AND t.phase = 'pending') x ON a.id = x.account_id;

            INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase,
                                       pending_id, kind, redemption_id, created_at)
            SELECT t.debit_account_id, t.credit_account_id, t.customer_account_id, t.amount, t.currency, 'post', t.id,
                   t.kind, @id, @now
            FROM dbo.transfers t
            WHERE t.redemption_id = @id AND t.phase = 'pending'
            ORDER BY t.id;

            -- Posted credit becomes a lot, then first pays what its customer owes, if anything; in owner id order, as above.
            DECLARE settle CURSOR LOCAL STATIC READ_ONLY FORWARD_ONLY FOR
                SELECT p.account_id, p.amount, p.available FROM @posted p JOIN dbo.accounts a ON a.id = p.account_id
                ORDER BY a.owner_id;
            OPEN settle;
            FETCH NEXT FROM settle INTO @account, @amount, @available;
            WHILE @@FETCH_STATUS = 0
            BEGIN
                EXEC dbo.grant_lot @account_id = @account, @amount = @amount, @program_id = @program_id, @redemption_id = @id,
                    @expires_at = @expires_at, @now = @now;
                EXEC dbo.settle_receivable @account_id = @account, @available = @available, @redemption_id = @id,
                    @spend_id = NULL, @now = @now, @available_after = @ignored OUTPUT;
                FETCH NEXT FROM settle INTO @account, @amount, @available;
            END;
            CLOSE settle;
            DEALLOCATE settle;
        END;

        -- The customer has ordered: insert first, a duplicate key means "seen before" (as PostgreSQL's ON CONFLICT DO
        -- NOTHING; XACT_ABORT OFF for this statement only, see add_to_account).
        SET XACT_ABORT OFF;
        BEGIN TRY
            INSERT INTO dbo.ordering_customers (customer_id, first_order_at) VALUES (@referee_id, @now);
        END TRY
        BEGIN CATCH
            IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1
               OR ERROR_MESSAGE() NOT LIKE N'%''ordering_customers_pkey''%'
                THROW;
        END CATCH;
        SET XACT_ABORT ON;

        UPDATE dbo.redemptions
        SET status = CASE WHEN @hold_days IS NULL THEN 'rewarded' ELSE 'held' END,
            available_at = DATEADD(day, @hold_days, @now),
            qualifying_order_id = @order_id, order_amount = @order_amount, qualified_at = @now
        WHERE id = @id;
        INSERT INTO @result SELECT * FROM dbo.redemption_view(@id);

    work_done:
        -- Only a keyed request stores its answer: no JSON is built for one without a key.
        IF @idempotency_key IS NOT NULL
        BEGIN
            SET @outcome = (SELECT * FROM @result FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
            EXEC dbo.idempotency_finish @caller_id = @caller_id, @idempotency_key = @idempotency_key,
                @operation = 'qualify_redemption', @request_hash = @request_hash, @outcome = @outcome;
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
