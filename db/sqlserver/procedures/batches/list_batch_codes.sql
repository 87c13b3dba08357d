-- A batch's codes in code order, keyset-paginated on the code (never OFFSET); @page_size NULL = all of
-- them (the CSV export streams them). One plain SELECT on referral_codes_batch_ix (batch_id, code), no
-- table variable and no transaction: rows stream to the client as they are read. Snapshot isolation, as
-- dbo.list_codes and for the same reason: a slow client pauses the scan, and under locking READ COMMITTED
-- the shared lock where it stopped would hold up redemptions of those codes.
CREATE OR ALTER PROCEDURE dbo.list_batch_codes
    @batch_id        uniqueidentifier,
    @starting_after  nvarchar(32),
    @page_size       int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- Inside a caller's transaction the level cannot change (Msg 3951): read in the caller's, as PG does.
    IF @@TRANCOUNT = 0 SET TRANSACTION ISOLATION LEVEL SNAPSHOT;
    -- NULL cursor = from the first code ('' sorts before every code); a plain lower bound keeps the seek sargable.
    DECLARE @after nvarchar(32) = COALESCE(@starting_after, N'');
    -- NULL page size = no limit, as PG's LIMIT NULL.
    DECLARE @limit bigint = COALESCE(@page_size, 9223372036854775807);

    SELECT TOP (@limit) c.code, c.status AS code_status, c.max_redemptions,
           CONVERT(datetime2(6), SWITCHOFFSET(c.expires_at, '+00:00')) AS expires_at,
           CONVERT(datetime2(6), SWITCHOFFSET(c.created_at, '+00:00')) AS created_at
    FROM dbo.referral_codes c
    -- batch_id IS NOT NULL is the filtered index's own predicate, written out so that a plan for a parameter may use it.
    WHERE c.batch_id = @batch_id AND c.batch_id IS NOT NULL AND c.code > @after
    ORDER BY c.code
    -- FAST 100: the ordered seek that returns the first rows soonest, never a Sort of the whole batch.
    OPTION (FAST 100);
END;
