-- A customer's available (posted) and pending credit, one row per currency.
CREATE OR ALTER PROCEDURE dbo.get_balances
    @customer_id nvarchar(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    BEGIN TRY
        BEGIN TRANSACTION;
        SELECT a.currency,
               a.credits_posted - a.debits_posted AS available,
               a.credits_pending - a.debits_pending AS pending
        FROM dbo.accounts a
        WHERE a.kind = 'customer' AND a.owner_id = @customer_id
        ORDER BY a.currency;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
