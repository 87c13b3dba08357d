-- Changes status and limits. 'ended' is final; NULL arguments leave a field as it is.
CREATE OR ALTER PROCEDURE dbo.update_program
    @id                        uniqueidentifier,
    @status                    varchar(10),
    @max_rewards_per_referrer  int,
    @minimum_order_amount      bigint
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @current varchar(10);
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    DECLARE @result dbo.program_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        -- Row lock until commit: the status check decides the write.
        -- UPDLOCK holds it to commit; no HOLDLOCK, which adds only a range lock when the id is missing.
        SELECT @current = p.status FROM dbo.programs p WITH (UPDLOCK, ROWLOCK) WHERE p.id = @id;
        IF @current IS NULL
            INSERT INTO @result (status) VALUES ('not_found');
        ELSE IF @current = 'ended' AND COALESCE(@status, 'ended') <> 'ended'
            INSERT INTO @result (status) VALUES ('invalid_state');
        ELSE
        BEGIN
            UPDATE dbo.programs
            SET status = COALESCE(@status, status),
                max_rewards_per_referrer = COALESCE(@max_rewards_per_referrer, max_rewards_per_referrer),
                minimum_order_amount = COALESCE(@minimum_order_amount, minimum_order_amount),
                updated_at = @now
            WHERE id = @id;
            INSERT INTO @result SELECT * FROM dbo.program_view(@id);
        END;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT * FROM @result;
END;
