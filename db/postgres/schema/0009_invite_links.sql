-- Invite links: clicks on share links, the daily salts their IP hashes use, and attribution claims (the SQL
-- Server twin is db/sqlserver/schema/0009_invite_links.sql). The program row's link settings and a redemption's
-- click come in 0010 and 0011.
--
-- 0. Programs' link settings, all optional: where the redirect sends a browser (landing_url), an iPhone
--    (ios_app_store_url) and an Android phone (the Play Store page of android_package); the app's deep link for
--    a code (deep_link_template, in place of Links:DeepLinkTemplate); the share text (share_text_template).
ALTER TABLE programs
    ADD COLUMN landing_url varchar(2000) NULL,
    ADD COLUMN ios_app_store_url varchar(2000) NULL,
    ADD COLUMN android_package varchar(255) NULL,
    ADD COLUMN deep_link_template varchar(2000) NULL,
    ADD COLUMN share_text_template varchar(1000) NULL;

-- 1. A click on /r/{code} by a person (bots and link-preview fetchers are not recorded). id is a version-7
--    UUID made by the service: time-ordered, so the key grows at its end. No raw IP is ever stored: ip_hash
--    is HMAC-SHA256 of the client address (an IPv6 address by its /64 prefix) keyed by the day's salt
--    (click_salts), so the same visitor has the same hash within a UTC day and unrelated hashes across days.
--    platform: 'ios', 'android', 'desktop' or 'other'; os_version: major.minor where the parser found one.
--    No foreign keys: clicks arrive in bursts of set-based inserts, and a check per row would read (and
--    KEY SHARE-lock) the code and program rows the redirect has already looked up.
CREATE TABLE clicks (
    id            uuid          PRIMARY KEY,
    code          varchar(32)   NOT NULL,
    program_id    uuid          NOT NULL,
    clicked_at    timestamptz   NOT NULL,
    ip_hash       bytea         NOT NULL CHECK (length(ip_hash) = 32),
    platform      varchar(10)   NOT NULL CHECK (platform IN ('ios', 'android', 'desktop', 'other')),
    os_version    varchar(20)   NULL,
    browser       varchar(50)   NULL,
    referer_host  varchar(255)  NULL,
    utm_source    varchar(200)  NULL,
    utm_medium    varchar(200)  NULL,
    utm_campaign  varchar(200)  NULL,
    utm_term      varchar(200)  NULL,
    utm_content   varchar(200)  NULL
);
-- Stats per code and per program over a period.
CREATE INDEX clicks_code_ix ON clicks (code, clicked_at);
CREATE INDEX clicks_program_ix ON clicks (program_id, clicked_at);
-- A fingerprint claim: the latest click from this address hash and platform within the claim window.
CREATE INDEX clicks_fingerprint_ix ON clicks (ip_hash, platform, clicked_at);

-- 2. One random salt per UTC day, shared by every instance (the first to need a day's salt inserts it).
--    Salts older than the claim window are deleted, after which no hash of theirs can be tied to an address.
CREATE TABLE click_salts (
    day   date   PRIMARY KEY,
    salt  bytea  NOT NULL CHECK (length(salt) = 32)
);

-- 3. A new customer's claim of the click that brought them (deferred deep link): one per customer, the first
--    wins. code is the click's code, kept so that a redemption of that code finds its click by the customer.
CREATE TABLE attribution_claims (
    customer_id  varchar(64)  PRIMARY KEY,
    click_id     uuid         NOT NULL,
    code         varchar(32)  NOT NULL,
    matched_by   varchar(12)  NOT NULL CHECK (matched_by IN ('click_id', 'fingerprint')),
    claimed_at   timestamptz  NOT NULL
);

-- 4. Result shapes.
CREATE TYPE click_salt_row AS (
    salt  bytea
);
