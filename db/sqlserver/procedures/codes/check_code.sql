-- Would this code work for this customer right now? Reads only; takes no locks beyond a read. No
-- transaction: it would hold no read lock any longer under READ COMMITTED, nor add a snapshot under RCSI.
CREATE OR ALTER PROCEDURE dbo.check_code
    @code         nvarchar(32),
    @customer_id  nvarchar(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @owner nvarchar(64), @count int, @program_id uniqueidentifier, @program_status varchar(10),
            @max int, @reason varchar(40);
    DECLARE @result dbo.code_check_row;

    SELECT @owner = c.owner_id, @count = c.reward_count, @program_id = c.program_id
    FROM dbo.referral_codes c WHERE c.code = @code;
    IF @owner IS NULL
        INSERT INTO @result (status) VALUES ('code_not_found');
    ELSE
    BEGIN
        SELECT @program_status = p.status, @max = p.max_rewards_per_referrer
        FROM dbo.programs p WHERE p.id = @program_id;
        IF @program_status <> 'active'
            SET @reason = 'code_inactive';
        ELSE IF @customer_id IS NOT NULL AND @customer_id = @owner COLLATE Latin1_General_100_BIN2
            SET @reason = 'self_referral';
        ELSE IF @customer_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM dbo.redemptions r WHERE r.program_id = @program_id AND r.referee_id = @customer_id)
            SET @reason = 'already_referred';
        ELSE IF @max IS NOT NULL AND @count >= @max
            SET @reason = 'referrer_cap_reached';
        INSERT INTO @result (status, code, program_id, owner_id, reason) VALUES ('ok', @code, @program_id, @owner, @reason);
    END;

    SELECT * FROM @result;
END;
