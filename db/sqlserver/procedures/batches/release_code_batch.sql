-- A worker gives a batch back: on shutdown (another instance may resume it at once), or with a reason
-- when it cannot go on (status 'failed', final). Only the worker holding the batch may; otherwise
-- nothing changes ('invalid_state'). One guarded UPDATE: no explicit transaction.
CREATE OR ALTER PROCEDURE dbo.release_code_batch
    @id              uniqueidentifier,
    @worker          uniqueidentifier,
    @failure_reason  nvarchar(200)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    DECLARE @released TABLE (id uniqueidentifier NOT NULL);

    UPDATE dbo.code_batches
    SET claimed_by = NULL, lease_until = NULL, updated_at = @now,
        status = CASE WHEN @failure_reason IS NULL THEN status ELSE 'failed' END,
        failure_reason = @failure_reason,
        completed_at = CASE WHEN @failure_reason IS NULL THEN NULL ELSE @now END
    OUTPUT inserted.id INTO @released (id)
    WHERE id = @id AND status = 'running' AND claimed_by = @worker;

    SELECT CAST(COALESCE(v.status, 'invalid_state') AS varchar(40)) AS status, v.id, v.program_id, v.pattern,
           v.code_count, v.generated, v.batch_status, v.max_redemptions, v.expires_at, v.failure_reason,
           v.created_at, v.updated_at, v.completed_at
    FROM (VALUES (1)) AS one (n)
    LEFT JOIN @released r ON 1 = 1
    OUTER APPLY dbo.code_batch_view(r.id) v;
END;
