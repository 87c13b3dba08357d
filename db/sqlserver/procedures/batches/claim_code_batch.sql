-- Claims an unfinished batch for a worker until now + @lease_seconds: the given one (@id), or with @id
-- NULL the oldest one free to take (pending, running under a lease that has run out, or held by this very
-- worker, which takes its batch back at once after a fault). UPDLOCK holds the chosen row to the update;
-- READPAST skips rows another instance is claiming, so two instances take different batches and never
-- wait for each other (PostgreSQL: FOR UPDATE SKIP LOCKED). status 'not_found' when there is none to take.
CREATE OR ALTER PROCEDURE dbo.claim_code_batch
    @id             uniqueidentifier,
    @worker         uniqueidentifier,
    @lease_seconds  int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    DECLARE @claimed TABLE (id uniqueidentifier NOT NULL);

    WITH next_batch AS (
        SELECT TOP (1) b.id, b.status, b.claimed_by, b.lease_until, b.updated_at
        FROM dbo.code_batches b WITH (UPDLOCK, READPAST, ROWLOCK)
        WHERE b.status IN ('pending', 'running')
          AND (b.lease_until IS NULL OR b.lease_until < @now OR b.claimed_by = @worker)
          AND (@id IS NULL OR b.id = @id)
        ORDER BY b.created_at
    )
    UPDATE next_batch
    SET status = 'running', claimed_by = @worker, lease_until = DATEADD(second, @lease_seconds, @now), updated_at = @now
    OUTPUT inserted.id INTO @claimed (id);

    SELECT CAST(COALESCE(v.status, 'not_found') AS varchar(40)) AS status, v.id, v.program_id, v.pattern,
           v.code_count, v.generated, v.batch_status, v.max_redemptions, v.expires_at, v.failure_reason,
           v.created_at, v.updated_at, v.completed_at
    FROM (VALUES (1)) AS one (n)
    LEFT JOIN @claimed c ON 1 = 1
    OUTER APPLY dbo.code_batch_view(c.id) v;
END;
