-- A friend redeems a referral code: one pending reward for each side.
-- Locks, in order: the code row (the referrer cap), the (program, referee) key, then both
-- customers' accounts by owner id.
CREATE OR ALTER PROCEDURE dbo.redeem
    @id               uniqueidentifier,
    @code             nvarchar(32),
    @customer_id      nvarchar(64),
    @order_id         nvarchar(64),
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @request_hash     char(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @outcome nvarchar(max);
    DECLARE @owner nvarchar(64), @program_id uniqueidentifier, @program_status varchar(10), @currency char(3),
            @referrer_reward bigint, @referee_reward bigint, @max int, @funding bigint,
            @referrer_account bigint, @referee_account bigint;
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    -- The redemption_row being answered (PG: v_result).
    DECLARE @result dbo.redemption_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC dbo.idempotency_begin @caller_id = @caller_id, @idempotency_key = @idempotency_key,
            @operation = 'redeem', @request_hash = @request_hash, @outcome = @outcome OUTPUT;
        IF @outcome IS NOT NULL
        BEGIN
            INSERT INTO @result SELECT * FROM dbo.redemption_from_json(@outcome);
            GOTO done;
        END;

        -- Each refusal below jumps to work_done (PG: EXIT work), where the outcome is stored.
        SELECT @owner = c.owner_id FROM dbo.referral_codes c WHERE c.code = @code;
        IF @owner IS NULL
        BEGIN
            INSERT INTO @result (status) VALUES ('code_not_found');
            GOTO work_done;
        END;
        SELECT @program_id = p.id, @program_status = p.status, @currency = p.currency,
               @referrer_reward = p.referrer_reward, @referee_reward = p.referee_reward,
               @max = p.max_rewards_per_referrer, @funding = p.funding_account_id
        FROM dbo.programs p JOIN dbo.referral_codes c ON c.program_id = p.id
        WHERE c.code = @code;
        IF @program_status <> 'active'
        BEGIN
            INSERT INTO @result (status) VALUES ('code_inactive');
            GOTO work_done;
        END;
        IF @owner = @customer_id COLLATE Latin1_General_100_BIN2
        BEGIN
            INSERT INTO @result (status) VALUES ('self_referral');
            GOTO work_done;
        END;

        -- Guarded increment: takes the code's row lock and enforces the cap in one statement.
        UPDATE dbo.referral_codes SET reward_count = reward_count + 1
        WHERE code = @code AND (@max IS NULL OR reward_count < @max);
        IF @@ROWCOUNT = 0
        BEGIN
            INSERT INTO @result (status) VALUES ('referrer_cap_reached');
            GOTO work_done;
        END;

        -- One redemption per (program, referee): insert first, a duplicate key means "exists" (as
        -- PostgreSQL's ON CONFLICT; XACT_ABORT OFF for this statement only, see add_to_account).
        -- A concurrent redemption by the same referee holds that key until it commits, so this waits
        -- and then sees it; a range lock (UPDLOCK, HOLDLOCK on the missing key) would also make
        -- unrelated first-time referees queue. A retried call with the same id lands here too.
        DECLARE @inserted bit = 0;
        SET XACT_ABORT OFF;
        BEGIN TRY
            INSERT INTO dbo.redemptions (id, program_id, code, referrer_id, referee_id, order_id, status, currency,
                                         referrer_reward, referee_reward, created_at)
            VALUES (@id, @program_id, @code, @owner, @customer_id, @order_id, 'pending', @currency,
                    @referrer_reward, @referee_reward, @now);
            SET @inserted = 1;
        END TRY
        BEGIN CATCH
            -- Only the natural key is "exists"; any other duplicate (an id) is an error, as on PostgreSQL.
            IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1
               OR ERROR_MESSAGE() NOT LIKE N'%''redemptions_referee_uq''%'
                THROW;
        END CATCH;
        SET XACT_ABORT ON;
        IF @inserted = 0
        BEGIN
            UPDATE dbo.referral_codes SET reward_count = reward_count - 1 WHERE code = @code;
            INSERT INTO @result (status) VALUES ('already_referred');
            GOTO work_done;
        END;

        -- Both customers' accounts in owner id order (binary, as ORDER BY a.owner_id elsewhere).
        IF @owner < @customer_id COLLATE Latin1_General_100_BIN2
        BEGIN
            EXEC dbo.add_to_account @kind = 'customer', @owner_id = @owner, @currency = @currency,
                @credits_pending = @referrer_reward, @debits_posted = 0, @now = @now, @id = @referrer_account OUTPUT;
            EXEC dbo.add_to_account @kind = 'customer', @owner_id = @customer_id, @currency = @currency,
                @credits_pending = @referee_reward, @debits_posted = 0, @now = @now, @id = @referee_account OUTPUT;
        END
        ELSE
        BEGIN
            EXEC dbo.add_to_account @kind = 'customer', @owner_id = @customer_id, @currency = @currency,
                @credits_pending = @referee_reward, @debits_posted = 0, @now = @now, @id = @referee_account OUTPUT;
            EXEC dbo.add_to_account @kind = 'customer', @owner_id = @owner, @currency = @currency,
                @credits_pending = @referrer_reward, @debits_posted = 0, @now = @now, @id = @referrer_account OUTPUT;
        END;

        INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                                   redemption_id, created_at)
        VALUES (@funding, @referrer_account, @referrer_account, @referrer_reward, @currency, 'pending', 'referrer_reward', @id, @now),
               (@funding, @referee_account, @referee_account, @referee_reward, @currency, 'pending', 'referee_reward', @id, @now);

        INSERT INTO @result SELECT * FROM dbo.redemption_view(@id);

    work_done:
        -- Only a keyed request stores its answer: no JSON is built for one without a key.
        IF @idempotency_key IS NOT NULL
        BEGIN
            SET @outcome = (SELECT * FROM @result FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
            EXEC dbo.idempotency_finish @caller_id = @caller_id, @idempotency_key = @idempotency_key,
                @operation = 'redeem', @request_hash = @request_hash, @outcome = @outcome;
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
