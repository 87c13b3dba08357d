-- One redemption as a redemption_row; status 'not_found' (and NULLs) when there is no such redemption.
CREATE OR ALTER PROCEDURE dbo.get_redemption
    @id uniqueidentifier
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @result dbo.redemption_row;

    BEGIN TRY
        BEGIN TRANSACTION;
        INSERT INTO @result SELECT * FROM dbo.redemption_view(@id);
        IF NOT EXISTS (SELECT 1 FROM @result)
            INSERT INTO @result (status) VALUES ('not_found');
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT status, id, program_id, code, referrer_id, referee_id, order_id, redemption_status, currency,
           referrer_reward, referee_reward, referrer_shortfall, referee_shortfall, qualifying_order_id,
           order_amount, reversal_reason, created_at, qualified_at, reversed_at
    FROM @result;
END;
