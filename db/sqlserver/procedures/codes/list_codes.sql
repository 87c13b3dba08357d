-- A program's codes in code order, keyset-paginated (code > starting_after, never OFFSET; the (program_id, code)
-- index), optionally only one owner's, one batch's or one status's; a NULL page size answers them all (the CSV
-- export). One 'not_found' row when there is no such program; an existing program without codes answers none.
-- One plain SELECT, no table variable and no transaction: the rows stream to the client as they are read, so a
-- million-code export holds no more than a page of them anywhere. Snapshot isolation (as the reports): a slow
-- client pauses the scan, and under locking READ COMMITTED the shared lock on the row or page it stopped at would
-- block redemptions of those codes for as long (the database allows snapshots: db/sqlserver/prerequisites.sql).
CREATE OR ALTER PROCEDURE dbo.list_codes
    @program_id      uniqueidentifier,
    @owner_id        nvarchar(64),
    @batch_id        uniqueidentifier,
    @status          varchar(10),
    @starting_after  nvarchar(32),
    @page_size       int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- Inside a caller's transaction the level cannot change (Msg 3951): read in the caller's, as PG does.
    IF @@TRANCOUNT = 0 SET TRANSACTION ISOLATION LEVEL SNAPSHOT;
    -- No cursor = from the first code; a plain lower bound keeps the (program_id, code) seek sargable.
    DECLARE @after nvarchar(32) = COALESCE(@starting_after, N'');
    -- NULL page size = no limit, as PG's LIMIT NULL.
    DECLARE @limit bigint = COALESCE(@page_size, 9223372036854775807);

    IF NOT EXISTS (SELECT 1 FROM dbo.programs p WHERE p.id = @program_id)
        SELECT CAST('not_found' AS varchar(40)) AS status, CAST(NULL AS nvarchar(32)) AS code,
               CAST(NULL AS uniqueidentifier) AS program_id, CAST(NULL AS nvarchar(64)) AS owner_id,
               CAST(NULL AS varchar(10)) AS source, CAST(NULL AS varchar(10)) AS code_status,
               CAST(NULL AS int) AS max_redemptions, CAST(NULL AS datetime2(6)) AS expires_at,
               CAST(NULL AS uniqueidentifier) AS batch_id, CAST(NULL AS datetime2(6)) AS created_at;
    ELSE
        -- The optional filters are "@x IS NULL OR column = @x": RECOMPILE plans each call for the filters it has
        -- (the NULL ones drop out), so a batch's listing seeks referral_codes_batch_ix (batch_id, code) and the
        -- others referral_codes_program_ix (program_id, code); one cached plan would serve every shape badly.
        SELECT TOP (@limit) CAST('ok' AS varchar(40)) AS status, c.code, c.program_id, c.owner_id, c.source,
               c.status AS code_status, c.max_redemptions,
               CONVERT(datetime2(6), SWITCHOFFSET(c.expires_at, '+00:00')) AS expires_at, c.batch_id,
               CONVERT(datetime2(6), SWITCHOFFSET(c.created_at, '+00:00')) AS created_at
        FROM dbo.referral_codes c
        WHERE c.program_id = @program_id
          AND c.code > @after
          AND (@owner_id IS NULL OR c.owner_id = @owner_id)
          AND (@batch_id IS NULL OR c.batch_id = @batch_id)
          AND (@status IS NULL OR c.status = @status)
        ORDER BY c.code
        -- FAST 100: the plan that returns the first rows soonest, the ordered index seek (no Sort of the whole
        -- program before the first row, which an unbounded export would otherwise be costed into).
        OPTION (RECOMPILE, FAST 100);
END;
