-- The code_batch_row of one batch, status 'ok'; no row when there is no such batch.
-- Timestamps come back as datetime2 in UTC.
CREATE OR ALTER FUNCTION dbo.code_batch_view(@id uniqueidentifier)
RETURNS TABLE
AS
RETURN
    SELECT CAST('ok' AS varchar(40)) AS status, b.id, b.program_id, b.pattern, b.code_count, b.generated,
           b.status AS batch_status, b.max_redemptions,
           CONVERT(datetime2(6), SWITCHOFFSET(b.expires_at, '+00:00')) AS expires_at,
           b.failure_reason,
           CONVERT(datetime2(6), SWITCHOFFSET(b.created_at, '+00:00')) AS created_at,
           CONVERT(datetime2(6), SWITCHOFFSET(b.updated_at, '+00:00')) AS updated_at,
           CONVERT(datetime2(6), SWITCHOFFSET(b.completed_at, '+00:00')) AS completed_at
    FROM dbo.code_batches b
    WHERE b.id = @id;
