-- A stored idempotency outcome back as a code_batch_row (PostgreSQL: jsonb_populate_record).
CREATE OR ALTER FUNCTION dbo.code_batch_from_json(@outcome nvarchar(max))
RETURNS TABLE
AS
RETURN
    SELECT * FROM OPENJSON(@outcome) WITH (
        status varchar(40), id uniqueidentifier, program_id uniqueidentifier, pattern nvarchar(32),
        code_count int, generated int, batch_status varchar(10), max_redemptions int, expires_at datetime2(6),
        failure_reason nvarchar(200), created_at datetime2(6), updated_at datetime2(6), completed_at datetime2(6));
