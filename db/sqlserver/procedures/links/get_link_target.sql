-- What the share-link redirect (/r/{code}) needs about a code (PostgreSQL: get_link_target): its program, whether
-- the code is usable, whether the program is running, and where each platform goes. No row when the code does not
-- exist. The service compares expiry and program dates with its own clock. Two key reads, one statement: no
-- transaction, and READ COMMITTED holds no lock past the statement.
CREATE OR ALTER PROCEDURE dbo.get_link_target
    @code nvarchar(32)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    SELECT p.id AS program_id, c.status AS code_status, c.expires_at AS code_expires_at, p.status AS program_status,
           p.starts_at AS program_starts_at, p.ends_at AS program_ends_at,
           p.landing_url, p.ios_app_store_url, p.android_package
    FROM dbo.referral_codes AS c
    JOIN dbo.programs AS p ON p.id = c.program_id
    WHERE c.code = @code;
END;
