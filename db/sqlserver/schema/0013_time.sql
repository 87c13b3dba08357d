-- Time: the SQL Server twin of db/postgres/schema/0013_time.sql (the comments there say what each part is for).
-- Differences, each for a reason:
-- - Table types cannot be altered: the procedures declaring dbo.program_row or dbo.redemption_row are dropped first,
--   the types are made again with the new columns at their end, and the procedure folders (deployed after every
--   schema script) create the procedures anew. Between this script and the procedures no instance can create or
--   change a program, redeem, qualify or reverse: upgrade with the service stopped, as for 0007 and 0011.
-- - PG's partial indexes are filtered indexes; the lot index includes remaining (the clustered key is the lot id).
-- - A procedure answers balances and job passes with a plain SELECT: no table type.
-- - "Lots without expiry last" is an ORDER BY in the procedures (SQL Server sorts NULL first); an account holds few
--   live lots, so the sort is of a handful of rows read by the account index.

ALTER TABLE dbo.programs ADD
    hold_days int NULL,
    qualify_within_days int NULL,
    credit_expiry_days int NULL,
    budget bigint NULL,
    committed bigint NOT NULL CONSTRAINT programs_committed_default DEFAULT 0;
GO

ALTER TABLE dbo.programs ADD
    CONSTRAINT programs_time_check CHECK (
        (hold_days IS NULL OR hold_days > 0)
        AND (qualify_within_days IS NULL OR qualify_within_days > 0)
        AND (credit_expiry_days IS NULL OR credit_expiry_days > 0)),
    CONSTRAINT programs_budget_check CHECK (committed >= 0 AND (budget IS NULL OR (budget > 0 AND committed <= budget)));
GO

ALTER TABLE dbo.redemptions ADD
    qualify_by datetimeoffset(6) NULL,
    available_at datetimeoffset(6) NULL,
    expired_at datetimeoffset(6) NULL;
GO

ALTER TABLE dbo.redemptions DROP CONSTRAINT redemptions_status_check;
ALTER TABLE dbo.redemptions ADD CONSTRAINT redemptions_status_check
    CHECK (status IN ('pending', 'held', 'rewarded', 'redeemed', 'reversed', 'expired'));
CREATE INDEX redemptions_qualify_due_ix ON dbo.redemptions (qualify_by) WHERE status = 'pending' AND qualify_by IS NOT NULL;
CREATE INDEX redemptions_hold_due_ix ON dbo.redemptions (available_at) WHERE status = 'held';
GO

CREATE TABLE dbo.credit_holds (
    account_id     bigint            NOT NULL,
    redemption_id  uniqueidentifier  NOT NULL,
    amount         bigint            NOT NULL CONSTRAINT credit_holds_amount_check CHECK (amount > 0),
    available_at   datetimeoffset(6) NOT NULL,
    CONSTRAINT credit_holds_pkey PRIMARY KEY (account_id, redemption_id)
);

CREATE TABLE dbo.credit_lots (
    id             bigint IDENTITY(1,1) NOT NULL CONSTRAINT credit_lots_pkey PRIMARY KEY,
    account_id     bigint            NOT NULL,
    currency       char(3)           COLLATE Latin1_General_100_BIN2 NOT NULL,
    program_id     uniqueidentifier  NULL,
    redemption_id  uniqueidentifier  NULL,
    granted        bigint            NOT NULL CONSTRAINT credit_lots_granted_check CHECK (granted > 0),
    remaining      bigint            NOT NULL,
    expires_at     datetimeoffset(6) NULL,
    created_at     datetimeoffset(6) NOT NULL,
    CONSTRAINT credit_lots_remaining_check CHECK (remaining >= 0 AND remaining <= granted)
);
CREATE INDEX credit_lots_account_ix ON dbo.credit_lots (account_id, expires_at, id) INCLUDE (remaining) WHERE remaining > 0;
CREATE INDEX credit_lots_due_ix ON dbo.credit_lots (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;
CREATE INDEX credit_lots_redemption_ix ON dbo.credit_lots (redemption_id) WHERE redemption_id IS NOT NULL;

CREATE TABLE dbo.lot_movements (
    id             bigint IDENTITY(1,1) NOT NULL CONSTRAINT lot_movements_pkey PRIMARY KEY,
    lot_id         bigint            NOT NULL,
    kind           varchar(20)       NOT NULL CONSTRAINT lot_movements_kind_check
                                     CHECK (kind IN ('spend', 'spend_reversal', 'settlement', 'reversal', 'expiry')),
    amount         bigint            NOT NULL CONSTRAINT lot_movements_amount_check CHECK (amount <> 0),
    spend_id       uniqueidentifier  NULL,
    redemption_id  uniqueidentifier  NULL,
    created_at     datetimeoffset(6) NOT NULL
);
CREATE INDEX lot_movements_spend_ix ON dbo.lot_movements (spend_id) WHERE spend_id IS NOT NULL;
CREATE INDEX lot_movements_expiry_ix ON dbo.lot_movements (lot_id) WHERE kind = 'expiry';
GO

ALTER TABLE dbo.accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE dbo.accounts ADD CONSTRAINT accounts_kind_check
    CHECK (kind IN ('customer', 'funding', 'spent', 'receivable', 'breakage'));
GO

INSERT INTO dbo.credit_lots (account_id, currency, program_id, redemption_id, granted, remaining, expires_at, created_at)
SELECT a.id, a.currency, NULL, NULL, a.credits_posted - a.debits_posted, a.credits_posted - a.debits_posted, NULL,
       SYSUTCDATETIME()
FROM dbo.accounts a
WHERE a.kind = 'customer' AND a.credits_posted > a.debits_posted;
GO

DROP PROCEDURE IF EXISTS dbo.create_program;
DROP PROCEDURE IF EXISTS dbo.update_program;
DROP TYPE IF EXISTS dbo.program_row;
DROP PROCEDURE IF EXISTS dbo.redeem;
DROP PROCEDURE IF EXISTS dbo.qualify_redemption;
DROP PROCEDURE IF EXISTS dbo.reverse_redemption;
DROP TYPE IF EXISTS dbo.redemption_row;
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
    share_text_template           nvarchar(1000)   NULL,
    hold_days                     int              NULL,
    qualify_within_days           int              NULL,
    credit_expiry_days            int              NULL,
    budget                        bigint           NULL,
    committed                     bigint           NULL
);
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
    click_id             uniqueidentifier NULL,
    qualify_by           datetime2(6)     NULL,
    available_at         datetime2(6)     NULL,
    expired_at           datetime2(6)     NULL
);
GO
