-- Forgets up to @batch_size idempotency keys written before @before; answers how many it deleted.
-- The service's purge job calls it in batches, each its own short transaction, until a batch comes
-- back short. Business effects stay guarded by their natural keys after their key is gone.
CREATE OR ALTER PROCEDURE dbo.purge_idempotency_keys
    @before datetimeoffset(6),
    @batch_size int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @purged int;
    BEGIN TRY
        BEGIN TRANSACTION;
        DELETE TOP (@batch_size) FROM dbo.idempotency_keys WHERE created_at < @before;
        SET @purged = @@ROWCOUNT;
        COMMIT TRANSACTION;
        SELECT @purged AS purged;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
