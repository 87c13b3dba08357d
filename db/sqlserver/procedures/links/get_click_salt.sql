-- The salt of a UTC day's visitor hashes: @candidate becomes it if the day has none yet (the first instance to
-- ask wins; every other gets the stored one). Salts of days before @keep_from are deleted on the way, after which
-- no hash made with them can be tied to an address again.
CREATE OR ALTER PROCEDURE dbo.get_click_salt
    @day date,
    @candidate binary(32),
    @keep_from date
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    -- Insert, then catch the duplicate key of a racing instance (no range lock on a missing day). Each statement is
    -- its own transaction: there is nothing to roll back together.
    BEGIN TRY
        INSERT INTO dbo.click_salts (day, salt)
        SELECT @day, @candidate
        WHERE NOT EXISTS (SELECT 1 FROM dbo.click_salts AS s WHERE s.day = @day);
    END TRY
    BEGIN CATCH
        IF ERROR_NUMBER() NOT IN (2601, 2627)
            THROW;
    END CATCH;

    DELETE FROM dbo.click_salts WHERE day < @keep_from;

    SELECT s.salt FROM dbo.click_salts AS s WHERE s.day = @day;
END;
