-- One batch as a code_batch_row; status 'not_found' (and NULLs) when there is no such batch. One read
-- statement (as dbo.get_program): no explicit transaction.
CREATE OR ALTER PROCEDURE dbo.get_code_batch
    @id uniqueidentifier
AS
BEGIN
    SET NOCOUNT ON;

    SELECT CAST(COALESCE(v.status, 'not_found') AS varchar(40)) AS status, v.id, v.program_id, v.pattern,
           v.code_count, v.generated, v.batch_status, v.max_redemptions, v.expires_at, v.failure_reason,
           v.created_at, v.updated_at, v.completed_at
    FROM (VALUES (1)) AS one (n)
    LEFT JOIN dbo.code_batch_view(@id) v ON 1 = 1;
END;
