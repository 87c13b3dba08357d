-- A new customer claims the click that brought them (the PostgreSQL twin says how a click is matched). One claim per
-- customer, the first wins: a repeat answers the stored claim. Status not_found when nothing matches.
-- Each statement is its own transaction: the claim is one insert, and a concurrent first claim of the same customer
-- is caught as its duplicate key (no range lock on the missing key), after which the stored claim is answered.
-- The window ends at @now, the service's clock, which also chose the day of the address hashes.
CREATE OR ALTER PROCEDURE dbo.claim_click
    @customer_id      nvarchar(64),
    @click_id         uniqueidentifier,
    @ip_hash          binary(32),
    @earlier_ip_hash  binary(32),
    @platform         varchar(10),
    @os_version       varchar(20),
    @window_minutes   int,
    @now              datetimeoffset(6)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @found_click uniqueidentifier, @code nvarchar(32), @matched_by varchar(12);

    IF NOT EXISTS (SELECT 1 FROM dbo.attribution_claims a WHERE a.customer_id = @customer_id)
    BEGIN
        IF @click_id IS NOT NULL
            SELECT @found_click = k.id, @code = k.code, @matched_by = 'click_id'
            FROM dbo.clicks k WHERE k.id = @click_id;
        ELSE
            -- clicks_fingerprint_ix: the window's clicks of one or two address hashes on one platform (a handful).
            SELECT TOP (1) @found_click = k.id, @code = k.code, @matched_by = 'fingerprint'
            FROM dbo.clicks k
            WHERE (k.ip_hash = @ip_hash OR k.ip_hash = @earlier_ip_hash) AND k.platform = @platform
              AND k.clicked_at >= DATEADD(minute, -@window_minutes, @now)
            ORDER BY CASE WHEN k.os_version = @os_version THEN 0 ELSE 1 END, k.clicked_at DESC, k.id DESC;

        IF @found_click IS NULL
        BEGIN
            SELECT CAST('not_found' AS varchar(40)) AS status, CAST(NULL AS nvarchar(32)) AS code,
                   CAST(NULL AS uniqueidentifier) AS click_id, CAST(NULL AS varchar(12)) AS matched_by;
            RETURN;
        END;

        BEGIN TRY
            INSERT INTO dbo.attribution_claims (customer_id, click_id, code, matched_by, claimed_at)
            VALUES (@customer_id, @found_click, @code, @matched_by, @now);
        END TRY
        BEGIN CATCH
            IF ERROR_NUMBER() NOT IN (2601, 2627) OR ERROR_MESSAGE() NOT LIKE N'%''attribution_claims_pkey''%'
                THROW;
        END CATCH;
    END;

    SELECT CAST('ok' AS varchar(40)) AS status, a.code, a.click_id, a.matched_by
    FROM dbo.attribution_claims a
    WHERE a.customer_id = @customer_id;
END;
