-- An admin's vanity code for a program (PostgreSQL: create_code): source 'vanity'. Partner and referral codes have
-- an owner, promo codes none. The code's key is unique across the service: taken is code_taken. The deny-list is
-- applied by the service before the call. Locks: the code's key (the insert).
CREATE OR ALTER PROCEDURE dbo.create_code
    @program_id       uniqueidentifier,
    @code             nvarchar(32),
    @owner_id         nvarchar(64),
    @max_redemptions  int,
    @expires_at       datetimeoffset(6),
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @request_hash     char(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @outcome nvarchar(max);
    DECLARE @kind varchar(10), @inserted bit = 0;
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    DECLARE @result dbo.code_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC dbo.idempotency_begin @caller_id = @caller_id, @idempotency_key = @idempotency_key,
            @operation = 'create_code', @request_hash = @request_hash, @outcome = @outcome OUTPUT;
        IF @outcome IS NOT NULL
        BEGIN
            INSERT INTO @result
            SELECT * FROM OPENJSON(@outcome) WITH (
                status varchar(40), code nvarchar(32), program_id uniqueidentifier, owner_id nvarchar(64),
                source varchar(10), code_status varchar(10), max_redemptions int, expires_at datetime2(6),
                batch_id uniqueidentifier, created_at datetime2(6));
            GOTO done;
        END;

        -- Each refusal below jumps to work_done (PG: EXIT work), where the outcome is stored.
        SELECT @kind = p.kind FROM dbo.programs p WHERE p.id = @program_id;
        IF @kind IS NULL OR (@kind = 'promo' AND @owner_id IS NOT NULL) OR (@kind <> 'promo' AND @owner_id IS NULL)
        BEGIN
            INSERT INTO @result (status)
            VALUES (CASE WHEN @kind IS NULL THEN 'not_found'
                         WHEN @kind = 'promo' THEN 'wrong_program_kind'
                         ELSE 'owner_required' END);
            GOTO work_done;
        END;

        -- Insert first: a duplicate of the code's key means "taken" (XACT_ABORT OFF for this statement only, see
        -- add_to_account); no range lock on the missing key.
        SET XACT_ABORT OFF;
        BEGIN TRY
            INSERT INTO dbo.referral_codes (code, program_id, owner_id, created_at, source, max_redemptions, expires_at)
            VALUES (@code, @program_id, @owner_id, @now, 'vanity', @max_redemptions, @expires_at);
            SET @inserted = 1;
        END TRY
        BEGIN CATCH
            IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1
               OR ERROR_MESSAGE() NOT LIKE N'%''referral_codes_pkey''%'
                THROW;
        END CATCH;
        SET XACT_ABORT ON;
        IF @inserted = 0
            INSERT INTO @result (status) VALUES ('code_taken');
        ELSE
            INSERT INTO @result
            SELECT 'ok', c.code, c.program_id, c.owner_id, c.source, c.status, c.max_redemptions,
                   CONVERT(datetime2(6), SWITCHOFFSET(c.expires_at, '+00:00')), c.batch_id,
                   CONVERT(datetime2(6), SWITCHOFFSET(c.created_at, '+00:00'))
            FROM dbo.referral_codes c WHERE c.code = @code;

    work_done:
        -- Only a keyed request stores its answer: no JSON is built for one without a key.
        IF @idempotency_key IS NOT NULL
        BEGIN
            SET @outcome = (SELECT * FROM @result FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
            EXEC dbo.idempotency_finish @caller_id = @caller_id, @idempotency_key = @idempotency_key,
                @operation = 'create_code', @request_hash = @request_hash, @outcome = @outcome;
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
