-- Programs' link settings in the program result: the SQL Server twin of db/postgres/schema/0010_program_links.sql.
-- A table type cannot be altered: the procedures that declare dbo.program_row are dropped first, then the type is
-- remade with the five columns at its end; the procedure folders, deployed right after the schema scripts, bring
-- create_program and update_program back (program_view, program_from_json and get_program declare no variable of
-- the type and are replaced in place). Between the two no instance can create or change a program: upgrade with the
-- service stopped, as for 0007.
DROP PROCEDURE IF EXISTS dbo.create_program;
DROP PROCEDURE IF EXISTS dbo.update_program;
DROP TYPE IF EXISTS dbo.program_row;
GO

CREATE TYPE dbo.program_row AS TABLE (
    status                        varchar(40)      NOT NULL,
    id                            uniqueidentifier NULL,
    name                          nvarchar(200)    NULL,
    currency                      char(3)          NULL,
    referrer_reward               bigint           NULL,
    referee_reward                bigint           NULL,
    minimum_order_amount          bigint           NULL,
    max_rewards_per_referrer      int              NULL,
    program_status                varchar(10)      NULL,
    created_at                    datetime2(6)     NULL,
    updated_at                    datetime2(6)     NULL,
    kind                          varchar(10)      NULL,
    offer_type                    varchar(10)      NULL,
    offer_percent_off             int              NULL,
    offer_max_discount            bigint           NULL,
    offer_amount                  bigint           NULL,
    commission_amount             bigint           NULL,
    commission_basis_points       int              NULL,
    commission_max                bigint           NULL,
    starts_at                     datetime2(6)     NULL,
    ends_at                       datetime2(6)     NULL,
    max_redemptions_per_code      int              NULL,
    max_redemptions_per_customer  int              NULL,
    new_customers_only            bit              NULL,
    landing_url                   nvarchar(2000)   NULL,
    ios_app_store_url             nvarchar(2000)   NULL,
    android_package               varchar(255)     NULL,
    deep_link_template            nvarchar(2000)   NULL,
    share_text_template           nvarchar(1000)   NULL
);
GO
