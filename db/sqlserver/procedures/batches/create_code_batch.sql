-- Records a batch of codes to generate for a promo program; a background worker generates them
-- (dbo.add_batch_codes). The pattern arrives checked and normalised. Only promo programs take batches:
-- partner and referral codes need owners.
CREATE OR ALTER PROCEDURE dbo.create_code_batch
    @id               uniqueidentifier,
    @program_id       uniqueidentifier,
    @pattern          nvarchar(32),
    @code_count       int,
    @max_redemptions  int,
    @expires_at       datetimeoffset(6),
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @request_hash     char(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @outcome nvarchar(max), @kind varchar(10);
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    DECLARE @result dbo.code_batch_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC dbo.idempotency_begin @caller_id = @caller_id, @idempotency_key = @idempotency_key,
            @operation = 'create_code_batch', @request_hash = @request_hash, @outcome = @outcome OUTPUT;
        IF @outcome IS NOT NULL
        BEGIN
            INSERT INTO @result SELECT * FROM dbo.code_batch_from_json(@outcome);
            GOTO done;
        END;

        SELECT @kind = p.kind FROM dbo.programs p WHERE p.id = @program_id;
        IF @kind IS NULL
            INSERT INTO @result (status) VALUES ('not_found');
        ELSE IF @kind <> 'promo'
            INSERT INTO @result (status) VALUES ('wrong_program_kind');
        ELSE
        BEGIN
            INSERT INTO dbo.code_batches (id, program_id, pattern, code_count, generated, status, max_redemptions,
                                          expires_at, created_at, updated_at)
            VALUES (@id, @program_id, @pattern, @code_count, 0, 'pending', @max_redemptions, @expires_at, @now, @now);
            INSERT INTO @result SELECT * FROM dbo.code_batch_view(@id);
        END;

        IF @idempotency_key IS NOT NULL
        BEGIN
            SET @outcome = (SELECT * FROM @result FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
            EXEC dbo.idempotency_finish @caller_id = @caller_id, @idempotency_key = @idempotency_key,
                @operation = 'create_code_batch', @request_hash = @request_hash, @outcome = @outcome;
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
