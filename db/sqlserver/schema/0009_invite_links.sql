-- Invite links: the SQL Server twin of db/postgres/schema/0009_invite_links.sql (the comments there say what each
-- part is for). Differences, each for a reason:
-- - clicks is clustered on (clicked_at, id) with a nonclustered primary key: uniqueidentifier values sort by their
--   last bytes first on SQL Server, so a version-7 id is not increasing there, and a clustered key on it would
--   insert all over the table; clicked_at grows, so a burst appends at the end, and period scans read a range.
ALTER TABLE dbo.programs ADD
    landing_url nvarchar(2000) NULL,
    ios_app_store_url nvarchar(2000) NULL,
    android_package varchar(255) NULL,
    deep_link_template nvarchar(2000) NULL,
    share_text_template nvarchar(1000) NULL;
GO

CREATE TABLE dbo.clicks (
    id            uniqueidentifier   NOT NULL CONSTRAINT clicks_pkey PRIMARY KEY NONCLUSTERED,
    code          nvarchar(32)       COLLATE Latin1_General_100_BIN2 NOT NULL,
    program_id    uniqueidentifier   NOT NULL,
    clicked_at    datetimeoffset(6)  NOT NULL,
    ip_hash       binary(32)         NOT NULL,
    platform      varchar(10)        NOT NULL CONSTRAINT clicks_platform_check CHECK (platform IN ('ios', 'android', 'desktop', 'other')),
    os_version    varchar(20)        NULL,
    browser       nvarchar(50)       NULL,
    referer_host  nvarchar(255)      NULL,
    utm_source    nvarchar(200)      NULL,
    utm_medium    nvarchar(200)      NULL,
    utm_campaign  nvarchar(200)      NULL,
    utm_term      nvarchar(200)      NULL,
    utm_content   nvarchar(200)      NULL
);
GO

CREATE UNIQUE CLUSTERED INDEX clicks_time_cx ON dbo.clicks (clicked_at, id);
-- The stats count visitors and platforms from these indexes alone (no lookup into the clustered index per click).
CREATE INDEX clicks_code_ix ON dbo.clicks (code, clicked_at) INCLUDE (ip_hash, platform);
CREATE INDEX clicks_program_ix ON dbo.clicks (program_id, clicked_at) INCLUDE (ip_hash, platform);
CREATE INDEX clicks_fingerprint_ix ON dbo.clicks (ip_hash, platform, clicked_at);
GO

CREATE TABLE dbo.click_salts (
    day   date        NOT NULL CONSTRAINT click_salts_pkey PRIMARY KEY,
    salt  binary(32)  NOT NULL
);

CREATE TABLE dbo.attribution_claims (
    customer_id  nvarchar(64)       COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT attribution_claims_pkey PRIMARY KEY,
    click_id     uniqueidentifier   NOT NULL,
    code         nvarchar(32)       COLLATE Latin1_General_100_BIN2 NOT NULL,
    matched_by   varchar(12)        NOT NULL CONSTRAINT attribution_claims_matched_by_check CHECK (matched_by IN ('click_id', 'fingerprint')),
    claimed_at   datetimeoffset(6)  NOT NULL
);
GO
