-- Writes a batch of clicks from the redirect's queue in one set-based insert (PostgreSQL: record_clicks); answers
-- how many rows it added. @clicks is a JSON array of objects named as the columns, read with OPENJSON ... WITH,
-- which decodes the base64 ip_hash into varbinary. JSON rather than a table-valued parameter: the call is the same
-- one string on both engines, and there is no table type to drop and remake with this procedure when the shape
-- changes. The ids are made by the service; a batch sent again after a lost connection skips the ids it already
-- wrote (NOT EXISTS on the primary key: no range lock under READ COMMITTED, and no other writer makes these ids).
-- One statement, atomic alone: no explicit transaction. Its key locks stay under the 5,000 per index at which SQL
-- Server escalates to a table lock while a batch is at most 4,000 rows (Links:ClickBatchSize, default 1,000);
-- an escalated lock would only hold stats and claim reads for the few milliseconds of the insert.
CREATE OR ALTER PROCEDURE dbo.record_clicks
    @clicks nvarchar(max)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    INSERT INTO dbo.clicks (id, code, program_id, clicked_at, ip_hash, platform, os_version, browser, referer_host,
                            utm_source, utm_medium, utm_campaign, utm_term, utm_content)
    SELECT j.id, j.code, j.program_id, j.clicked_at, j.ip_hash, j.platform, j.os_version, j.browser, j.referer_host,
           j.utm_source, j.utm_medium, j.utm_campaign, j.utm_term, j.utm_content
    FROM OPENJSON(@clicks) WITH (
        id            uniqueidentifier   '$.id',
        code          nvarchar(32)       '$.code',
        program_id    uniqueidentifier   '$.program_id',
        clicked_at    datetimeoffset(6)  '$.clicked_at',
        ip_hash       varbinary(32)      '$.ip_hash',
        platform      varchar(10)        '$.platform',
        os_version    varchar(20)        '$.os_version',
        browser       nvarchar(50)       '$.browser',
        referer_host  nvarchar(255)      '$.referer_host',
        utm_source    nvarchar(200)      '$.utm_source',
        utm_medium    nvarchar(200)      '$.utm_medium',
        utm_campaign  nvarchar(200)      '$.utm_campaign',
        utm_term      nvarchar(200)      '$.utm_term',
        utm_content   nvarchar(200)      '$.utm_content'
    ) AS j
    WHERE NOT EXISTS (SELECT 1 FROM dbo.clicks AS c WHERE c.id = j.id);

    SELECT @@ROWCOUNT AS written;
END;
