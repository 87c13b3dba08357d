-- Refund, cancelled order or fraud: gives the use back (the code's count where a limit keeps it, the customer's
-- uses of a promo or partner program) and the budget, then voids pending legs (a pending or held redemption; a held
-- one's credit_holds rows go with them), or reverses posted ones (a qualified reward or commission, a promo's credit)
-- with new transfers. A posted leg is clawed back after the customer's expired lots have gone to breakage (expired
-- credit cannot pay it), from the reward's own lot first, then as far as the balance allows; the rest, the shortfall,
-- becomes what the customer owes: a transfer from their receivable account, settled by the next credit they receive.
-- An expired redemption has nothing left to reverse (invalid_state).
-- Locks, in order: the redemption row, the code row, the customer's customer_uses row, the program row (only where the
-- program has a budget), then both customers' accounts by owner id (each customer's account before their receivable).
CREATE OR ALTER PROCEDURE dbo.reverse_redemption
    @id               uniqueidentifier,
    @reason           nvarchar(200),
    @now              datetimeoffset(6),
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @request_hash     char(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @outcome nvarchar(max);
    DECLARE @found uniqueidentifier, @redemption_status varchar(10), @code nvarchar(32), @kind varchar(10),
            @program_id uniqueidentifier, @referee_id nvarchar(64), @per_code int, @budget bigint, @committed bigint;
    DECLARE @leg_id bigint, @leg_debit_account_id bigint, @leg_credit_account_id bigint, @leg_amount bigint,
            @leg_currency char(3), @leg_kind varchar(20), @leg_owner_id nvarchar(64);
    DECLARE @available bigint, @clawback bigint, @referrer_shortfall bigint, @referee_shortfall bigint,
            @shortfall bigint, @receivable bigint, @expired bigint, @owed_back bigint;
    -- The redemption_row being answered (PG: v_result).
    DECLARE @result dbo.redemption_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC dbo.idempotency_begin @caller_id = @caller_id, @idempotency_key = @idempotency_key,
            @operation = 'reverse_redemption', @request_hash = @request_hash, @outcome = @outcome OUTPUT;
        IF @outcome IS NOT NULL
        BEGIN
            INSERT INTO @result SELECT * FROM dbo.redemption_from_json(@outcome);
            GOTO done;
        END;

        -- Each refusal below jumps to work_done (PG: EXIT work), where the outcome is stored.
        -- Row lock until commit: the redemption's state decides everything below.
        -- UPDLOCK holds it to commit; no HOLDLOCK, which adds only a range lock when the id is missing.
        SELECT @found = r.id, @redemption_status = r.status, @code = r.code, @kind = r.kind, @program_id = r.program_id,
               @referee_id = r.referee_id, @committed = r.referrer_reward + r.referee_reward + r.discount
        FROM dbo.redemptions r WITH (UPDLOCK, ROWLOCK)
        WHERE r.id = @id;
        IF @found IS NULL
        BEGIN
            INSERT INTO @result (status) VALUES ('not_found');
            GOTO work_done;
        END;
        IF @redemption_status IN ('reversed', 'expired')
        BEGIN
            INSERT INTO @result (status) VALUES ('invalid_state');
            GOTO work_done;
        END;

        -- A reversed redemption no longer counts against the referrer's cap or the code's limit: reward_count is
        -- kept for referral codes and for codes with a limit (whoever sets a limit recounts it, code row locked).
        -- The program is read first and apart (its shared lock ends with the read): an update joined to it would hold
        -- the code's lock while waiting on the program row, which update_program holds while it recounts the codes.
        -- A use committed while a first limit was being set is not counted (recount_code_uses), so the count is
        -- never taken below zero.
        SELECT @per_code = p.max_redemptions_per_code, @budget = p.budget FROM dbo.programs p WHERE p.id = @program_id;
        UPDATE dbo.referral_codes SET reward_count = reward_count - 1
        WHERE code = @code AND reward_count > 0
          AND (@kind = 'referral' OR max_redemptions IS NOT NULL OR @per_code IS NOT NULL);
        IF @kind <> 'referral'
            UPDATE dbo.customer_uses SET uses = uses - 1
            WHERE program_id = @program_id AND customer_id = @referee_id;
        -- What the redemption committed of the program's budget is free again. A program without one is not touched:
        -- its row is neither locked nor written (a budget, once set, is never removed).
        IF @budget IS NOT NULL
            UPDATE dbo.programs SET committed = committed - @committed
            WHERE id = @program_id AND budget IS NOT NULL;

        -- The original legs in owner id order: each iteration locks one account, so the order is certain. They are
        -- the pending legs, and a promo's credit, posted at redemption (found through the customer's account).
        DECLARE legs CURSOR LOCAL STATIC READ_ONLY FORWARD_ONLY FOR
            SELECT l.id, l.debit_account_id, l.credit_account_id, l.amount, l.currency, l.kind, l.owner_id
            FROM (SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.currency, t.kind, a.owner_id
                  FROM dbo.transfers t JOIN dbo.accounts a ON a.id = t.credit_account_id
                  WHERE t.redemption_id = @id AND t.phase = 'pending'
                  UNION ALL
                  SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.currency, t.kind, a.owner_id
                  FROM dbo.transfers t JOIN dbo.accounts a ON a.id = t.customer_account_id
                  WHERE @kind = 'promo' AND t.redemption_id = @id AND t.kind = 'promo_credit') AS l
            ORDER BY l.owner_id;
        OPEN legs;
        FETCH NEXT FROM legs INTO @leg_id, @leg_debit_account_id, @leg_credit_account_id, @leg_amount,
                                  @leg_currency, @leg_kind, @leg_owner_id;
        WHILE @@FETCH_STATUS = 0
        BEGIN
            IF @redemption_status IN ('pending', 'held')
            BEGIN
                UPDATE dbo.accounts SET credits_pending = credits_pending - @leg_amount
                WHERE id = @leg_credit_account_id;
                INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency,
                                           phase, pending_id, kind, redemption_id, created_at)
                VALUES (@leg_debit_account_id, @leg_credit_account_id, @leg_credit_account_id, @leg_amount,
                        @leg_currency, 'void', @leg_id, @leg_kind, @id, @now);
                IF @redemption_status = 'held'
                    DELETE FROM dbo.credit_holds WHERE account_id = @leg_credit_account_id AND redemption_id = @id;
            END
            ELSE
            BEGIN
                -- Row lock until commit: the balance, after expiry, decides the clawback.
                SELECT @available = a.credits_posted - a.debits_posted
                FROM dbo.accounts a WITH (UPDLOCK, ROWLOCK)
                WHERE a.id = @leg_credit_account_id;
                EXEC dbo.expire_account_lots @account_id = @leg_credit_account_id, @now = @now;
                SELECT @available = a.credits_posted - a.debits_posted FROM dbo.accounts a WHERE a.id = @leg_credit_account_id;
                -- What of the reward expired went to breakage: not taken back again (the PostgreSQL twin says why).
                SELECT @expired = COALESCE(-SUM(m.amount), 0)
                FROM dbo.credit_lots l JOIN dbo.lot_movements m ON m.lot_id = l.id AND m.kind = 'expiry'
                WHERE l.redemption_id = @id AND l.account_id = @leg_credit_account_id;
                SET @owed_back = @leg_amount - CASE WHEN @expired < @leg_amount THEN @expired ELSE @leg_amount END;
                SET @clawback = CASE WHEN @owed_back < @available THEN @owed_back ELSE @available END;
                IF @clawback > 0
                BEGIN
                    UPDATE dbo.accounts SET debits_posted = debits_posted + @clawback
                    WHERE id = @leg_credit_account_id;
                    INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount,
                                               currency, phase, kind, redemption_id, created_at)
                    VALUES (@leg_credit_account_id, @leg_debit_account_id, @leg_credit_account_id, @clawback,
                            @leg_currency, 'posted', 'reward_reversal', @id, @now);
                    EXEC dbo.take_from_lots @account_id = @leg_credit_account_id, @amount = @clawback, @kind = 'reversal',
                        @redemption_id = @id, @spend_id = NULL, @now = @now;
                END;
                SET @shortfall = @owed_back - @clawback;
                IF @shortfall > 0
                BEGIN
                    EXEC dbo.add_to_account @kind = 'receivable', @owner_id = @leg_owner_id, @currency = @leg_currency,
                        @credits_pending = 0, @debits_posted = @shortfall, @now = @now, @id = @receivable OUTPUT;
                    INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount,
                                               currency, phase, kind, redemption_id, created_at)
                    VALUES (@receivable, @leg_debit_account_id, @receivable, @shortfall,
                            @leg_currency, 'posted', 'reward_shortfall', @id, @now);
                END;
                IF @leg_kind IN ('referrer_reward', 'commission')
                    SET @referrer_shortfall = @shortfall;
                ELSE
                    SET @referee_shortfall = @shortfall;
            END;
            FETCH NEXT FROM legs INTO @leg_id, @leg_debit_account_id, @leg_credit_account_id, @leg_amount,
                                      @leg_currency, @leg_kind, @leg_owner_id;
        END;
        CLOSE legs;
        DEALLOCATE legs;

        UPDATE dbo.redemptions
        SET status = 'reversed', reversal_reason = @reason, reversed_at = @now,
            referrer_shortfall = @referrer_shortfall, referee_shortfall = @referee_shortfall
        WHERE id = @id;
        INSERT INTO @result SELECT * FROM dbo.redemption_view(@id);

    work_done:
        -- Only a keyed request stores its answer: no JSON is built for one without a key.
        IF @idempotency_key IS NOT NULL
        BEGIN
            SET @outcome = (SELECT * FROM @result FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
            EXEC dbo.idempotency_finish @caller_id = @caller_id, @idempotency_key = @idempotency_key,
                @operation = 'reverse_redemption', @request_hash = @request_hash, @outcome = @outcome;
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
