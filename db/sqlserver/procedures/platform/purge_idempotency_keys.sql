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

    -- One statement, atomic on its own: no explicit transaction.
    DELETE TOP (@batch_size) FROM dbo.idempotency_keys WHERE created_at < @before;
    SELECT @@ROWCOUNT AS purged;
END;
