-- One program as a program_row; status 'not_found' (and NULLs) when there is no such program.
CREATE OR ALTER PROCEDURE dbo.get_program
    @id uniqueidentifier
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @result dbo.program_row;

    BEGIN TRY
        BEGIN TRANSACTION;
        INSERT INTO @result SELECT * FROM dbo.program_view(@id);
        IF NOT EXISTS (SELECT 1 FROM @result)
            INSERT INTO @result (status) VALUES ('not_found');
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT status, id, name, currency, referrer_reward, referee_reward, minimum_order_amount,
           max_rewards_per_referrer, program_status, created_at, updated_at
    FROM @result;
END;
