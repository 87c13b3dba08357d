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
    DECLARE @program_status varchar(10), @program_kind varchar(10), @code nvarchar(32);
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    DECLARE @result dbo.referral_code_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        SELECT @code = c.code FROM dbo.referral_codes c
        WHERE c.program_id = @program_id AND c.owner_id = @customer_id AND c.source = 'personal';
        IF @code IS NOT NULL
            INSERT INTO @result VALUES ('ok', @code, @program_id, @customer_id, 0);
        ELSE
        BEGIN
            SELECT @program_status = p.status, @program_kind = p.kind FROM dbo.programs p WHERE p.id = @program_id;
            IF @program_status IS NULL
                INSERT INTO @result (status) VALUES ('not_found');
            ELSE IF @program_kind <> 'referral'
                -- Promo codes have no owner and partner codes are made by an admin (POST /v1/programs/{id}/codes).
                INSERT INTO @result (status) VALUES ('wrong_program_kind');
            ELSE IF @program_status <> 'active'
                INSERT INTO @result (status) VALUES ('code_inactive');
            ELSE
            BEGIN
                -- Insert first on both unique keys (owner, code); a duplicate key means another call got
                -- there first (XACT_ABORT OFF for this statement only, see add_to_account). A
                -- concurrent call for this owner or candidate holds the key until it commits, so this waits
                -- and then sees its row; range locks on the missing keys would make unrelated owners queue.
                DECLARE @inserted int = 0;
                SET XACT_ABORT OFF;
                BEGIN TRY
                    INSERT INTO dbo.referral_codes (code, program_id, owner_id, created_at)
                    VALUES (@candidate_code, @program_id, @customer_id, @now);
                    SET @inserted = 1;
                END TRY
                BEGIN CATCH
                    IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1
                        THROW;
                END CATCH;
                SET XACT_ABORT ON;
                IF @inserted = 1
                    INSERT INTO @result VALUES ('ok', @candidate_code, @program_id, @customer_id, 1);
                ELSE
                BEGIN
                    -- Either a concurrent call created this owner's code, or the candidate is taken.
                    SELECT @code = c.code FROM dbo.referral_codes c
                    WHERE c.program_id = @program_id AND c.owner_id = @customer_id AND c.source = 'personal';
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

    SELECT * FROM @result;
END;
