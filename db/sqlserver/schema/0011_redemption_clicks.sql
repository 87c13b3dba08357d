-- A redemption's click: the SQL Server twin of db/postgres/schema/0011_redemption_clicks.sql (the comments there say
-- what each part is for). Differences, each for a reason:
-- - A table type cannot be altered: the procedures declaring dbo.redemption_row are dropped first, the type is made
--   again with click_id, and the procedure folders (deployed after every schema script) create them anew. Between
--   this script and the procedures the service cannot redeem, qualify or reverse: deploy in a quiet moment (as 0007).
-- - Procedures answer stats and claims with a plain SELECT: no table type.
ALTER TABLE dbo.redemptions ADD click_id uniqueidentifier NULL;
GO

-- Covering for code_stats: the clustered key is a random id, so a lookup per redemption of a shared code would be
-- a random read each. (PostgreSQL's twin is plain: it reads the heap for visibility anyway.)
CREATE INDEX redemptions_code_ix ON dbo.redemptions (code, created_at)
    INCLUDE (status, click_id, referrer_reward, referee_reward, discount);
GO

DROP PROCEDURE IF EXISTS dbo.redeem;
DROP PROCEDURE IF EXISTS dbo.qualify_redemption;
DROP PROCEDURE IF EXISTS dbo.reverse_redemption;
DROP TYPE IF EXISTS dbo.redemption_row;
GO

CREATE TYPE dbo.redemption_row AS TABLE (
    status               varchar(40)      NOT NULL,
    id                   uniqueidentifier NULL,
    program_id           uniqueidentifier NULL,
    code                 nvarchar(32)     NULL,
    referrer_id          nvarchar(64)     NULL,
    referee_id           nvarchar(64)     NULL,
    order_id             nvarchar(64)     NULL,
    redemption_status    varchar(10)      NULL,
    currency             char(3)          NULL,
    referrer_reward      bigint           NULL,
    referee_reward       bigint           NULL,
    referrer_shortfall   bigint           NULL,
    referee_shortfall    bigint           NULL,
    qualifying_order_id  nvarchar(64)     NULL,
    order_amount         bigint           NULL,
    reversal_reason      nvarchar(200)    NULL,
    created_at           datetime2(6)     NULL,
    qualified_at         datetime2(6)     NULL,
    reversed_at          datetime2(6)     NULL,
    kind                 varchar(10)      NULL,
    discount             bigint           NULL,
    click_id             uniqueidentifier NULL
);
GO
