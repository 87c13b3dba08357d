-- The dry run of redeem (PostgreSQL: check_code): the same checks in the same order and the same arithmetic
-- (dbo.offer_value), on what the caller knows; without a customer the checks that need one are left out, without
-- an order amount order_required and the minimum are, and discount is NULL. Reads only; takes no locks beyond a
-- read and writes nothing. No transaction: it would hold no read lock any longer under READ COMMITTED, nor add a
-- snapshot under RCSI. The parameters added for promo codes have defaults for instances of the release before; @now
-- (0013, deployed with the service stopped) has none. budget_exhausted: the program's remaining budget is below what
-- this redemption would commit (PG's check_code), left out where that needs an order amount and there is none.
CREATE OR ALTER PROCEDURE dbo.check_code
    @code                  nvarchar(32),
    @customer_id           nvarchar(64),
    @order_amount          bigint = NULL,
    @currency              char(3) = NULL,
    @customer_order_count  int = NULL,
    @now                   datetimeoffset(6)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @found bit = 0, @owner nvarchar(64), @count int, @code_status varchar(10), @expires_at datetimeoffset(6),
            @code_max int, @program_id uniqueidentifier, @kind varchar(10), @program_status varchar(10),
            @program_currency char(3), @referee_reward bigint, @minimum bigint, @max_rewards int,
            @offer_type varchar(10), @percent_off int, @max_discount bigint, @offer_amount bigint,
            @starts_at datetimeoffset(6), @ends_at datetimeoffset(6), @per_code int, @per_customer int, @new_only bit,
            @reason varchar(40), @discount bigint, @referrer_reward bigint,
            @commission_amount bigint, @commission_basis_points int, @commission_max bigint, @budget bigint,
            @committed bigint, @commit bigint;
    DECLARE @result dbo.code_check_row;

    SELECT @found = 1, @owner = c.owner_id, @count = c.reward_count, @code_status = c.status,
           @expires_at = c.expires_at, @code_max = c.max_redemptions, @program_id = p.id, @kind = p.kind,
           @program_status = p.status, @program_currency = p.currency, @referee_reward = p.referee_reward,
           @minimum = p.minimum_order_amount, @max_rewards = p.max_rewards_per_referrer, @offer_type = p.offer_type,
           @percent_off = p.offer_percent_off, @max_discount = p.offer_max_discount, @offer_amount = p.offer_amount,
           @starts_at = p.starts_at, @ends_at = p.ends_at, @per_code = p.max_redemptions_per_code,
           @per_customer = p.max_redemptions_per_customer, @new_only = p.new_customers_only,
           @referrer_reward = p.referrer_reward, @commission_amount = p.commission_amount,
           @commission_basis_points = p.commission_basis_points, @commission_max = p.commission_max,
           @budget = p.budget, @committed = p.committed
    FROM dbo.referral_codes c JOIN dbo.programs p ON p.id = c.program_id
    WHERE c.code = @code;
    IF @found = 0
        INSERT INTO @result (status) VALUES ('code_not_found');
    ELSE
    BEGIN
        SET @discount = 0;
        IF @offer_type = 'discount'
            SELECT @discount = v.amount FROM dbo.offer_value(@order_amount, @percent_off, @max_discount, @offer_amount) v;
        -- What the redemption would commit against a budget (NULL where it needs the order amount and there is none).
        IF @budget IS NOT NULL
        BEGIN
            SET @commit = CASE WHEN @kind = 'referral' THEN @referrer_reward
                               WHEN @kind = 'promo' THEN 0
                               ELSE @commission_amount END;
            IF @kind = 'partner' AND @commission_basis_points IS NOT NULL
                SELECT @commit = v.amount
                FROM dbo.offer_value(@order_amount, @commission_basis_points, @commission_max, NULL) v;
            SET @commit = @commit + @discount
                + CASE WHEN @kind = 'referral' THEN @referee_reward WHEN @offer_type = 'credit' THEN @offer_amount ELSE 0 END;
        END;
        SET @reason = CASE
            WHEN @code_status <> 'active' THEN 'code_disabled'
            WHEN @expires_at <= @now THEN 'code_expired'
            WHEN @program_status = 'paused' THEN 'code_inactive'
            WHEN @program_status = 'ended' OR @ends_at <= @now THEN 'program_ended'
            WHEN @starts_at > @now THEN 'program_not_started'
            WHEN @currency <> @program_currency COLLATE Latin1_General_100_BIN2 THEN 'currency_mismatch'
            WHEN (@kind <> 'referral' OR @offer_type IS NOT NULL) AND @order_amount < @minimum THEN 'order_below_minimum'
            WHEN @customer_id = @owner COLLATE Latin1_General_100_BIN2 THEN 'self_referral'
            WHEN @new_only = 1 AND (@customer_order_count > 0 OR EXISTS (
                     SELECT 1 FROM dbo.ordering_customers o WHERE o.customer_id = @customer_id)) THEN 'not_new_customer'
            WHEN @kind <> 'referral' AND EXISTS (
                     SELECT 1 FROM dbo.customer_uses u
                     WHERE u.program_id = @program_id AND u.customer_id = @customer_id
                       AND u.uses >= @per_customer) THEN 'customer_limit_reached'
            WHEN @count >= COALESCE(@code_max, @per_code) THEN 'code_exhausted'
            WHEN @kind = 'referral' AND @count >= @max_rewards THEN 'referrer_cap_reached'
            WHEN @budget - @committed < @commit THEN 'budget_exhausted'
            WHEN @kind = 'referral' AND @customer_id IS NOT NULL AND EXISTS (
                     SELECT 1 FROM dbo.redemptions r
                     WHERE r.program_id = @program_id AND r.referee_id = @customer_id AND r.kind = 'referral')
                THEN 'already_referred'
        END;
        INSERT INTO @result (status, code, program_id, owner_id, reason, kind, discount, credit)
        VALUES ('ok', @code, @program_id, @owner, @reason, @kind, @discount,
                CASE WHEN @kind = 'referral' THEN @referee_reward WHEN @offer_type = 'credit' THEN @offer_amount ELSE 0 END);
    END;

    SELECT * FROM @result;
END;
