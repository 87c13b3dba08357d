-- A customer redeems a code of any kind (the PostgreSQL twin says what each kind gives). Refusals, in this order:
-- code_not_found, code_disabled, code_expired, code_inactive (program paused), program_ended, program_not_started,
-- currency_mismatch, order_required, order_below_minimum, self_referral, not_new_customer, click_not_found (a
-- @click_id that names no click of this code), customer_limit_reached, code_exhausted (or referrer_cap_reached),
-- budget_exhausted, already_redeemed (promo, partner) or already_referred (referral). The redemption records its click:
-- @click_id when given, else the click the customer claimed, when that claim is of this code (one primary-key seek).
-- Locks, in order: the code row (only when a limit counts its uses: a referral code always, a promo or partner
-- code with a per-code limit; any other code is only read, so a shared code is no hot row), the customer's
-- customer_uses row (promo and partner), the program row (only a program with a budget), the redemption's natural
-- key (the insert), then the customers' accounts by owner id. The parameters added for promo codes have defaults, so
-- an instance of the release before could still redeem referral codes while a deploy replaced instances one by one
-- (and so has @click_id, added by 0011). @now (added by 0013, which is deployed with the service stopped) has none:
-- time is the service's clock, never the database's (qualify_by and a gift credit's expiry: PG's redeem.sql).
CREATE OR ALTER PROCEDURE dbo.redeem
    @id                    uniqueidentifier,
    @code                  nvarchar(32),
    @customer_id           nvarchar(64),
    @order_id              nvarchar(64),
    @order_amount          bigint = NULL,
    @currency              char(3) = NULL,
    @customer_order_count  int = NULL,
    @click_id              uniqueidentifier = NULL,
    @now                   datetimeoffset(6),
    @caller_id             nvarchar(200),
    @idempotency_key       nvarchar(255),
    @request_hash          char(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @outcome nvarchar(max);
    DECLARE @found bit = 0, @owner nvarchar(64), @code_status varchar(10), @expires_at datetimeoffset(6),
            @code_max int, @program_id uniqueidentifier, @kind varchar(10), @program_status varchar(10),
            @program_currency char(3), @referrer_reward bigint, @referee_reward bigint, @minimum bigint,
            @max_rewards int, @funding bigint, @offer_type varchar(10), @percent_off int, @max_discount bigint,
            @offer_amount bigint, @commission_amount bigint, @commission_basis_points int, @commission_max bigint,
            @starts_at datetimeoffset(6), @ends_at datetimeoffset(6), @per_code int, @per_customer int, @new_only bit,
            @qualify_within_days int, @credit_expiry_days int, @budget bigint;
    DECLARE @status varchar(40), @limit int, @cap int, @claimed bit = 0, @used bit = 0, @attempt int = 0,
            @inserted bit = 0, @discount bigint, @referrer_amount bigint, @referee_amount bigint,
            @owner_account bigint, @customer_account bigint, @available bigint, @ignored bigint, @count int,
            @redemption_click uniqueidentifier = @click_id, @commit bigint = 0, @lot_expires_at datetimeoffset(6);
    DECLARE @posted TABLE (available bigint NOT NULL);
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
        -- Read, not locked: the checks need no lock; the limits are enforced by guarded writes below.
        SELECT @found = 1, @owner = c.owner_id, @code_status = c.status, @expires_at = c.expires_at,
               @code_max = c.max_redemptions, @program_id = p.id, @kind = p.kind, @program_status = p.status,
               @program_currency = p.currency, @referrer_reward = p.referrer_reward, @referee_reward = p.referee_reward,
               @minimum = p.minimum_order_amount, @max_rewards = p.max_rewards_per_referrer,
               @funding = p.funding_account_id, @offer_type = p.offer_type, @percent_off = p.offer_percent_off,
               @max_discount = p.offer_max_discount, @offer_amount = p.offer_amount,
               @commission_amount = p.commission_amount, @commission_basis_points = p.commission_basis_points,
               @commission_max = p.commission_max, @starts_at = p.starts_at, @ends_at = p.ends_at,
               @per_code = p.max_redemptions_per_code, @per_customer = p.max_redemptions_per_customer,
               @new_only = p.new_customers_only, @qualify_within_days = p.qualify_within_days,
               @credit_expiry_days = p.credit_expiry_days, @budget = p.budget
        FROM dbo.referral_codes c JOIN dbo.programs p ON p.id = c.program_id
        WHERE c.code = @code;
        IF @found = 0
        BEGIN
            INSERT INTO @result (status) VALUES ('code_not_found');
            GOTO work_done;
        END;
        SET @status = CASE
            WHEN @code_status <> 'active' THEN 'code_disabled'
            WHEN @expires_at <= @now THEN 'code_expired'
            WHEN @program_status = 'paused' THEN 'code_inactive'
            WHEN @program_status = 'ended' OR @ends_at <= @now THEN 'program_ended'
            WHEN @starts_at > @now THEN 'program_not_started'
            WHEN @currency <> @program_currency COLLATE Latin1_General_100_BIN2 THEN 'currency_mismatch'
            WHEN (@kind <> 'referral' OR @offer_type IS NOT NULL)
                 AND (@order_id IS NULL OR @order_amount IS NULL) THEN 'order_required'
            WHEN (@kind <> 'referral' OR @offer_type IS NOT NULL) AND @order_amount < @minimum THEN 'order_below_minimum'
            WHEN @customer_id = @owner COLLATE Latin1_General_100_BIN2 THEN 'self_referral'
            WHEN @new_only = 1 AND (@customer_order_count > 0 OR EXISTS (
                     SELECT 1 FROM dbo.ordering_customers o WHERE o.customer_id = @customer_id)) THEN 'not_new_customer'
            WHEN @click_id IS NOT NULL AND NOT EXISTS (
                     SELECT 1 FROM dbo.clicks k WHERE k.id = @click_id AND k.code = @code) THEN 'click_not_found'
        END;
        IF @status IS NOT NULL
        BEGIN
            INSERT INTO @result (status) VALUES (@status);
            GOTO work_done;
        END;

        SET @discount = 0;
        IF @offer_type = 'discount'
            SELECT @discount = v.amount FROM dbo.offer_value(@order_amount, @percent_off, @max_discount, @offer_amount) v;
        SET @referee_amount = CASE WHEN @kind = 'referral' THEN @referee_reward
                                   WHEN @offer_type = 'credit' THEN @offer_amount
                                   ELSE 0 END;
        -- A fixed commission is paid as set, whatever the order (the minimum order amount guards small orders).
        SET @referrer_amount = CASE WHEN @kind = 'referral' THEN @referrer_reward
                                    WHEN @kind = 'promo' THEN 0
                                    ELSE @commission_amount END;
        IF @kind = 'partner' AND @commission_basis_points IS NOT NULL
            SELECT @referrer_amount = v.amount
            FROM dbo.offer_value(@order_amount, @commission_basis_points, @commission_max, NULL) v;

        -- Claim a use of the code, when a limit counts them: the guarded increment takes the code's row lock and
        -- holds the count under the limit in one statement (it waits for a concurrent claim, so it sees its count).
        SET @limit = COALESCE(@code_max, @per_code);
        IF @kind = 'referral' OR @limit IS NOT NULL
        BEGIN
            SET @cap = CASE WHEN @kind <> 'referral' OR @max_rewards IS NULL THEN @limit
                            WHEN @limit IS NULL OR @max_rewards < @limit THEN @max_rewards
                            ELSE @limit END;
            -- What the claim refuses is explained by a second look; should that find room again (a reversal gave a
            -- use back in between), the claim is tried again (as PG's loop).
            WHILE 1 = 1
            BEGIN
                UPDATE dbo.referral_codes SET reward_count = reward_count + 1
                WHERE code = @code AND (@cap IS NULL OR reward_count < @cap);
                IF @@ROWCOUNT = 1 BREAK;
                SELECT @count = c.reward_count FROM dbo.referral_codes c WHERE c.code = @code;
                IF @count >= @cap
                BEGIN
                    SET @status = CASE
                        WHEN @kind <> 'referral' AND EXISTS (
                            SELECT 1 FROM dbo.customer_uses u
                            WHERE u.program_id = @program_id AND u.customer_id = @customer_id
                              AND u.uses >= @per_customer) THEN 'customer_limit_reached'
                        WHEN @count >= @limit THEN 'code_exhausted'
                        ELSE 'referrer_cap_reached'
                    END;
                    INSERT INTO @result (status) VALUES (@status);
                    GOTO work_done;
                END;
            END;
            SET @claimed = 1;
        END;

        -- The customer's uses of this program (promo and partner), counted always so that a limit set later counts
        -- earlier uses. The guarded update takes the row's lock and holds the count under the limit; a first use
        -- inserts first, and a duplicate key (a concurrent first use got there first) means "exists": the update is
        -- tried once more (XACT_ABORT OFF for the insert only, see add_to_account). No range lock on the missing key.
        IF @kind <> 'referral'
        BEGIN
            WHILE @used = 0 AND @attempt < 2
            BEGIN
                SET @attempt = @attempt + 1;
                UPDATE dbo.customer_uses SET uses = uses + 1
                WHERE program_id = @program_id AND customer_id = @customer_id
                  AND (@per_customer IS NULL OR uses < @per_customer);
                IF @@ROWCOUNT = 1
                    SET @used = 1;
                ELSE IF EXISTS (SELECT 1 FROM dbo.customer_uses u
                                WHERE u.program_id = @program_id AND u.customer_id = @customer_id)
                    BREAK;
                ELSE
                BEGIN
                    SET XACT_ABORT OFF;
                    BEGIN TRY
                        INSERT INTO dbo.customer_uses (program_id, customer_id, uses) VALUES (@program_id, @customer_id, 1);
                        SET @used = 1;
                    END TRY
                    BEGIN CATCH
                        IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1
                           OR ERROR_MESSAGE() NOT LIKE N'%''customer_uses_pkey''%'
                            THROW;
                    END CATCH;
                    SET XACT_ABORT ON;
                END;
            END;
            IF @used = 0
            BEGIN
                IF @claimed = 1
                    UPDATE dbo.referral_codes SET reward_count = reward_count - 1 WHERE code = @code;
                INSERT INTO @result (status) VALUES ('customer_limit_reached');
                GOTO work_done;
            END;
        END;

        -- A program with a budget commits everything this redemption gives, by one guarded update of its row (the
        -- exclusive row lock it takes is held to commit, so the budget holds under concurrency); the claims above are
        -- undone when it refuses. A program without a budget is only read: its row is no hot spot.
        IF @budget IS NOT NULL
            SET @commit = @referrer_amount + @referee_amount + @discount;
        IF @commit > 0
        BEGIN
            UPDATE dbo.programs WITH (ROWLOCK) SET committed = committed + @commit
            WHERE id = @program_id AND budget IS NOT NULL AND committed + @commit <= budget;
            IF @@ROWCOUNT = 0
            BEGIN
                IF @claimed = 1
                    UPDATE dbo.referral_codes SET reward_count = reward_count - 1 WHERE code = @code;
                IF @kind <> 'referral'
                    UPDATE dbo.customer_uses SET uses = uses - 1
                    WHERE program_id = @program_id AND customer_id = @customer_id;
                INSERT INTO @result (status) VALUES ('budget_exhausted');
                GOTO work_done;
            END;
        END;

        -- Without a @click_id, the click the customer claimed, if that claim is of this code.
        IF @redemption_click IS NULL
            SELECT @redemption_click = a.click_id
            FROM dbo.attribution_claims a
            WHERE a.customer_id = @customer_id AND a.code = @code;

        -- The natural key is the last word: one redemption per friend and referral program (redemptions_referee_uq),
        -- one use of a promo or partner code per order (redemptions_order_uq). Insert first, a duplicate of that key
        -- means "exists", as PostgreSQL's ON CONFLICT; any other duplicate (an id) is an error.
        SET XACT_ABORT OFF;
        BEGIN TRY
            INSERT INTO dbo.redemptions (id, program_id, code, referrer_id, referee_id, order_id, status, currency,
                                         referrer_reward, referee_reward, order_amount, created_at, kind, discount,
                                         click_id, qualify_by)
            VALUES (@id, @program_id, @code, @owner, @customer_id, @order_id,
                    CASE WHEN @kind = 'promo' THEN 'redeemed' ELSE 'pending' END, @program_currency,
                    @referrer_amount, @referee_amount, @order_amount, @now, @kind, @discount, @redemption_click,
                    CASE WHEN @kind <> 'promo' THEN DATEADD(day, @qualify_within_days, @now) END);
            SET @inserted = 1;
        END TRY
        BEGIN CATCH
            IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1
               OR ERROR_MESSAGE() NOT LIKE CASE WHEN @kind = 'referral' THEN N'%''redemptions_referee_uq''%'
                                                ELSE N'%''redemptions_order_uq''%' END
                THROW;
        END CATCH;
        SET XACT_ABORT ON;
        IF @inserted = 0
        BEGIN
            IF @claimed = 1
                UPDATE dbo.referral_codes SET reward_count = reward_count - 1 WHERE code = @code;
            IF @commit > 0
                UPDATE dbo.programs SET committed = committed - @commit WHERE id = @program_id;
            IF @kind = 'referral'
                INSERT INTO @result (status) VALUES ('already_referred');
            ELSE
            BEGIN
                UPDATE dbo.customer_uses SET uses = uses - 1
                WHERE program_id = @program_id AND customer_id = @customer_id;
                INSERT INTO @result (status) VALUES ('already_redeemed');
            END;
            GOTO work_done;
        END;

        -- The customers' accounts in owner id order (binary, as ORDER BY a.owner_id elsewhere). A promo's credit is
        -- posted at once; every other leg is pending until the order qualifies.
        IF @referrer_amount > 0 AND (@referee_amount = 0 OR @owner < @customer_id COLLATE Latin1_General_100_BIN2)
            EXEC dbo.add_to_account @kind = 'customer', @owner_id = @owner, @currency = @program_currency,
                @credits_pending = @referrer_amount, @debits_posted = 0, @now = @now, @id = @owner_account OUTPUT;
        IF @referee_amount > 0 AND @kind = 'promo'
        BEGIN
            EXEC dbo.add_to_account @kind = 'customer', @owner_id = @customer_id, @currency = @program_currency,
                @credits_pending = 0, @debits_posted = 0, @now = @now, @id = @customer_account OUTPUT;
            UPDATE dbo.accounts SET credits_posted = credits_posted + @referee_amount
            OUTPUT inserted.credits_posted - inserted.debits_posted INTO @posted (available)
            WHERE id = @customer_account;
            SELECT @available = p.available FROM @posted p;
        END
        ELSE IF @referee_amount > 0
            EXEC dbo.add_to_account @kind = 'customer', @owner_id = @customer_id, @currency = @program_currency,
                @credits_pending = @referee_amount, @debits_posted = 0, @now = @now, @id = @customer_account OUTPUT;
        IF @referrer_amount > 0 AND @owner_account IS NULL
            EXEC dbo.add_to_account @kind = 'customer', @owner_id = @owner, @currency = @program_currency,
                @credits_pending = @referrer_amount, @debits_posted = 0, @now = @now, @id = @owner_account OUTPUT;

        INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                                   redemption_id, created_at)
        SELECT @funding, leg.account_id, leg.account_id, leg.amount, @program_currency, leg.phase, leg.kind, @id, @now
        FROM (VALUES (@owner_account, @referrer_amount, 'pending',
                      CASE WHEN @kind = 'partner' THEN 'commission' ELSE 'referrer_reward' END),
                     (@customer_account, @referee_amount,
                      CASE WHEN @kind = 'promo' THEN 'posted' ELSE 'pending' END,
                      CASE WHEN @kind = 'promo' THEN 'promo_credit' ELSE 'referee_reward' END))
             AS leg (account_id, amount, phase, kind)
        WHERE leg.amount > 0;
        IF @available IS NOT NULL
        BEGIN
            -- Posted credit is a lot (expiring when the program says so), and first pays what its customer owes.
            SET @lot_expires_at = DATEADD(day, @credit_expiry_days, @now);
            EXEC dbo.grant_lot @account_id = @customer_account, @amount = @referee_amount, @program_id = @program_id,
                @redemption_id = @id, @expires_at = @lot_expires_at, @now = @now;
            EXEC dbo.settle_receivable @account_id = @customer_account, @available = @available, @redemption_id = @id,
                @spend_id = NULL, @now = @now, @available_after = @ignored OUTPUT;
        END;

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
