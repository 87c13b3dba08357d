-- The redirect's result shape (db/postgres/procedures/links/get_link_target.sql): what /r/{code} needs to know
-- about a code and its program in one row. The SQL Server twin is an empty script (a procedure there answers with
-- a plain result set).
CREATE TYPE link_target_row AS (
    program_id         uuid,
    code_status        varchar(10),
    code_expires_at    timestamptz,
    program_status     varchar(10),
    program_starts_at  timestamptz,
    program_ends_at    timestamptz,
    landing_url        varchar(2000),
    ios_app_store_url  varchar(2000),
    android_package    varchar(255)
);
