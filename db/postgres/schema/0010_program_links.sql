-- Programs' link settings in the program result (the SQL Server twin is db/sqlserver/schema/0010_program_links.sql).
-- The columns came in 0009; a program answers them from now on. Idempotency outcomes stored before (kept 24
-- hours) read them as NULL: no settings, which is what such a program had.
ALTER TYPE program_row
    ADD ATTRIBUTE landing_url varchar(2000),
    ADD ATTRIBUTE ios_app_store_url varchar(2000),
    ADD ATTRIBUTE android_package varchar(255),
    ADD ATTRIBUTE deep_link_template varchar(2000),
    ADD ATTRIBUTE share_text_template varchar(1000);
