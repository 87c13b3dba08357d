-- A batch's codes in code order, keyset-paginated on the code (never OFFSET); @page_size NULL = all of
-- them (the CSV export streams them). One read statement on the (batch_id, code) index.
CREATE OR ALTER PROCEDURE dbo.list_batch_codes
    @batch_id        uniqueidentifier,
    @starting_after  nvarchar(32),
    @page_size       int
AS
BEGIN
    SET NOCOUNT ON;
    -- NULL cursor = from the first code ('' sorts before every code); a plain lower bound keeps the seek sargable.
    DECLARE @after nvarchar(32) = COALESCE(@starting_after, N'');
    -- NULL page size = no limit, as PG's LIMIT NULL.
    DECLARE @limit bigint = COALESCE(@page_size, 9223372036854775807);

    SELECT TOP (@limit) c.code, c.status AS code_status, c.max_redemptions,
           CONVERT(datetime2(6), SWITCHOFFSET(c.expires_at, '+00:00')) AS expires_at,
           CONVERT(datetime2(6), SWITCHOFFSET(c.created_at, '+00:00')) AS created_at
    FROM dbo.referral_codes c
    WHERE c.batch_id = @batch_id AND c.code > @after
    ORDER BY c.code;
END;
