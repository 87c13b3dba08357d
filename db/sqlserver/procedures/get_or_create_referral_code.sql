-- A customer's personal code for a program: the existing one, or the candidate the caller drew.
-- status 'code_collision' asks the caller to draw another candidate (another owner has it).
CREATE OR ALTER PROCEDURE dbo.get_or_create_referral_code
    @program_id      uniqueidentifier,
    @customer_id     nvarchar(64),
    @candidate_code  nvarchar(32)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @program_status varchar(10), @code nvarchar(32);
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    DECLARE @result dbo.referral_code_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        SELECT @code = c.code FROM dbo.referral_codes c
        WHERE c.program_id = @program_id AND c.owner_id = @customer_id;
        IF @code IS NOT NULL
            INSERT INTO @result VALUES ('ok', @code, @program_id, @customer_id, 0);
        ELSE
        BEGIN
            SELECT @program_status = p.status FROM dbo.programs p WHERE p.id = @program_id;
            IF @program_status IS NULL
                INSERT INTO @result (status) VALUES ('not_found');
            ELSE IF @program_status <> 'active'
                INSERT INTO @result (status) VALUES ('code_inactive');
            ELSE
            BEGIN
                -- Key-range update locks on both unique keys (owner, code) until commit: a concurrent
                -- call for this owner or this candidate waits here, then sees the committed row.
                INSERT INTO dbo.referral_codes (code, program_id, owner_id, created_at)
                SELECT @candidate_code, @program_id, @customer_id, @now
                WHERE NOT EXISTS (SELECT 1 FROM dbo.referral_codes c WITH (UPDLOCK, HOLDLOCK)
                                  WHERE c.program_id = @program_id AND c.owner_id = @customer_id)
                  AND NOT EXISTS (SELECT 1 FROM dbo.referral_codes c WITH (UPDLOCK, HOLDLOCK)
                                  WHERE c.code = @candidate_code);
                IF @@ROWCOUNT = 1
                    INSERT INTO @result VALUES ('ok', @candidate_code, @program_id, @customer_id, 1);
                ELSE
                BEGIN
                    -- Either a concurrent call created this owner's code, or the candidate is taken.
                    SELECT @code = c.code FROM dbo.referral_codes c
                    WHERE c.program_id = @program_id AND c.owner_id = @customer_id;
                    IF @code IS NULL
                        INSERT INTO @result (status) VALUES ('code_collision');
                    ELSE
                        INSERT INTO @result VALUES ('ok', @code, @program_id, @customer_id, 0);
                END;
            END;
        END;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT status, code, program_id, owner_id, created
    FROM @result;
END;
