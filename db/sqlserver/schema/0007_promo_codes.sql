-- Program kinds, promo and partner codes: the SQL Server twin of db/postgres/schema/0007_promo_codes.sql
-- (the comments there say what each change is for). Differences, each for a reason:
-- - A table type cannot be altered: the procedures declaring one are dropped first, the type is made
--   again, and the procedure folders (deployed after every schema script) create the procedures anew.
--   Between this script and the procedures the service cannot redeem: deploy in a quiet moment.
-- - PG's partial unique indexes are filtered unique indexes (same names, so a duplicate-key error
--   names the key as on PostgreSQL).

ALTER TABLE dbo.programs ADD
    kind varchar(10) NOT NULL CONSTRAINT programs_kind_default DEFAULT 'referral',
    offer_type varchar(10) NULL,
    offer_percent_off int NULL,
    offer_max_discount bigint NULL,
    offer_amount bigint NULL,
    commission_amount bigint NULL,
    commission_basis_points int NULL,
    commission_max bigint NULL,
    starts_at datetimeoffset(6) NULL,
    ends_at datetimeoffset(6) NULL,
    max_redemptions_per_code int NULL,
    max_redemptions_per_customer int NULL,
    new_customers_only bit NOT NULL CONSTRAINT programs_new_customers_only_default DEFAULT 0;
GO

ALTER TABLE dbo.programs DROP CONSTRAINT programs_referrer_reward_check;
ALTER TABLE dbo.programs DROP CONSTRAINT programs_referee_reward_check;
ALTER TABLE dbo.programs ADD
    CONSTRAINT programs_rewards_check CHECK (referrer_reward >= 0 AND referee_reward >= 0),
    CONSTRAINT programs_kind_check CHECK (kind IN ('referral', 'promo', 'partner')),
    CONSTRAINT programs_offer_check CHECK (
        (offer_type IS NULL AND offer_percent_off IS NULL AND offer_max_discount IS NULL AND offer_amount IS NULL)
        OR (offer_type IS NOT NULL AND offer_type = 'discount' AND offer_percent_off IS NOT NULL
            AND offer_percent_off BETWEEN 1 AND 10000 AND offer_amount IS NULL
            AND (offer_max_discount IS NULL OR offer_max_discount > 0))
        OR (offer_type IS NOT NULL AND offer_type IN ('discount', 'credit') AND offer_amount IS NOT NULL
            AND offer_amount > 0 AND offer_percent_off IS NULL AND offer_max_discount IS NULL)),
    CONSTRAINT programs_commission_check CHECK (
        (commission_amount IS NULL AND commission_basis_points IS NULL AND commission_max IS NULL)
        OR (commission_amount IS NOT NULL AND commission_amount > 0 AND commission_basis_points IS NULL
            AND commission_max IS NULL)
        OR (commission_amount IS NULL AND commission_basis_points IS NOT NULL AND commission_basis_points BETWEEN 1 AND 10000
            AND (commission_max IS NULL OR commission_max > 0))),
    CONSTRAINT programs_kind_shape CHECK (
        (kind = 'referral' AND referrer_reward > 0 AND commission_amount IS NULL AND commission_basis_points IS NULL
            AND ((offer_type IS NULL AND referee_reward > 0) OR (offer_type IS NOT NULL AND offer_type = 'discount' AND referee_reward = 0)))
        OR (kind = 'promo' AND referrer_reward = 0 AND referee_reward = 0 AND offer_type IS NOT NULL
            AND commission_amount IS NULL AND commission_basis_points IS NULL)
        OR (kind = 'partner' AND referrer_reward = 0 AND referee_reward = 0 AND offer_type IS NOT NULL
            AND (commission_amount IS NOT NULL OR commission_basis_points IS NOT NULL))),
    CONSTRAINT programs_rules_check CHECK (
        (max_redemptions_per_code IS NULL OR max_redemptions_per_code > 0)
        AND (max_redemptions_per_customer IS NULL OR max_redemptions_per_customer > 0)
        AND (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at));
GO

-- ALTER COLUMN refuses while a constraint uses the column: they are dropped and made again around it.
ALTER TABLE dbo.referral_codes DROP CONSTRAINT referral_codes_owner_uq;
ALTER TABLE dbo.referral_codes DROP CONSTRAINT referral_codes_owner_id_rule;
ALTER TABLE dbo.referral_codes ALTER COLUMN owner_id nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE dbo.referral_codes WITH NOCHECK ADD CONSTRAINT referral_codes_owner_id_rule
    CHECK (LEN(owner_id) >= 1 AND owner_id NOT LIKE N'%[^A-Za-z0-9._:@-]%');
ALTER TABLE dbo.referral_codes ADD
    source varchar(10) NOT NULL CONSTRAINT referral_codes_source_default DEFAULT 'personal',
    status varchar(10) NOT NULL CONSTRAINT referral_codes_status_default DEFAULT 'active',
    max_redemptions int NULL,
    expires_at datetimeoffset(6) NULL,
    batch_id uniqueidentifier NULL;
GO

ALTER TABLE dbo.referral_codes ADD
    CONSTRAINT referral_codes_source_check CHECK (source IN ('personal', 'vanity', 'batch')),
    CONSTRAINT referral_codes_status_check CHECK (status IN ('active', 'disabled')),
    CONSTRAINT referral_codes_max_redemptions_check CHECK (max_redemptions > 0),
    CONSTRAINT referral_codes_personal_owner CHECK (source <> 'personal' OR owner_id IS NOT NULL);
CREATE UNIQUE INDEX referral_codes_owner_uq ON dbo.referral_codes (program_id, owner_id) WHERE source = 'personal';
-- The listings (dbo.list_codes) read every column of a program's or a batch's codes in code order: covering
-- indexes, so an export is one ordered range seek without a key lookup per code. (PostgreSQL's twins are plain:
-- it reads the heap for visibility anyway.)
CREATE INDEX referral_codes_program_ix ON dbo.referral_codes (program_id, code)
    INCLUDE (owner_id, source, status, max_redemptions, expires_at, batch_id, created_at);
CREATE INDEX referral_codes_batch_ix ON dbo.referral_codes (batch_id, code)
    INCLUDE (program_id, owner_id, source, status, max_redemptions, expires_at, created_at) WHERE batch_id IS NOT NULL;
GO

ALTER TABLE dbo.redemptions DROP CONSTRAINT redemptions_id_rules;
ALTER TABLE dbo.redemptions DROP CONSTRAINT redemptions_not_self;
ALTER TABLE dbo.redemptions ALTER COLUMN referrer_id nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE dbo.redemptions ADD CONSTRAINT redemptions_not_self CHECK (referrer_id <> referee_id);
ALTER TABLE dbo.redemptions WITH NOCHECK ADD CONSTRAINT redemptions_id_rules
    CHECK (LEN(referrer_id) >= 1 AND referrer_id NOT LIKE N'%[^A-Za-z0-9._:@-]%'
           AND LEN(referee_id) >= 1 AND referee_id NOT LIKE N'%[^A-Za-z0-9._:@-]%'
           AND (order_id IS NULL OR (LEN(order_id) >= 1 AND order_id NOT LIKE N'%[^A-Za-z0-9._:@/#-]%'))
           AND (qualifying_order_id IS NULL
                OR (LEN(qualifying_order_id) >= 1 AND qualifying_order_id NOT LIKE N'%[^A-Za-z0-9._:@/#-]%')));
ALTER TABLE dbo.redemptions ADD
    kind varchar(10) NOT NULL CONSTRAINT redemptions_kind_default DEFAULT 'referral',
    discount bigint NOT NULL CONSTRAINT redemptions_discount_default DEFAULT 0;
GO

ALTER TABLE dbo.redemptions DROP CONSTRAINT redemptions_status_check;
ALTER TABLE dbo.redemptions ADD
    CONSTRAINT redemptions_status_check CHECK (status IN ('pending', 'rewarded', 'redeemed', 'reversed')),
    CONSTRAINT redemptions_kind_check CHECK (kind IN ('referral', 'promo', 'partner')),
    CONSTRAINT redemptions_discount_check CHECK (discount >= 0),
    CONSTRAINT redemptions_order_required CHECK (kind = 'referral' OR (order_id IS NOT NULL AND order_amount IS NOT NULL)),
    CONSTRAINT redemptions_referrer_required CHECK (kind = 'promo' OR referrer_id IS NOT NULL);
ALTER TABLE dbo.redemptions DROP CONSTRAINT redemptions_referee_uq;
CREATE UNIQUE INDEX redemptions_referee_uq ON dbo.redemptions (program_id, referee_id) WHERE kind = 'referral';
CREATE UNIQUE INDEX redemptions_order_uq ON dbo.redemptions (code, order_id) INCLUDE (status) WHERE kind <> 'referral';
CREATE INDEX redemptions_customer_ix ON dbo.redemptions (program_id, referee_id) WHERE kind <> 'referral';
-- A gift code's credit is posted at once, so transfers_pending_by_redemption does not hold it: a reversal finds it
-- here (one row per gift-code redemption), not by reading the customer's whole history.
CREATE INDEX transfers_promo_credit_ix ON dbo.transfers (redemption_id) WHERE kind = 'promo_credit';
GO

CREATE TABLE dbo.customer_uses (
    program_id   uniqueidentifier NOT NULL,
    customer_id  nvarchar(64)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    uses         int              NOT NULL CONSTRAINT customer_uses_uses_check CHECK (uses >= 0),
    CONSTRAINT customer_uses_pkey PRIMARY KEY (program_id, customer_id)
);

CREATE TABLE dbo.ordering_customers (
    customer_id     nvarchar(64)      COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT ordering_customers_pkey PRIMARY KEY,
    first_order_at  datetimeoffset(6) NOT NULL
);
GO

DROP PROCEDURE IF EXISTS dbo.create_program;
DROP PROCEDURE IF EXISTS dbo.update_program;
DROP PROCEDURE IF EXISTS dbo.redeem;
DROP PROCEDURE IF EXISTS dbo.qualify_redemption;
DROP PROCEDURE IF EXISTS dbo.reverse_redemption;
DROP PROCEDURE IF EXISTS dbo.check_code;
DROP TYPE IF EXISTS dbo.program_row;
DROP TYPE IF EXISTS dbo.redemption_row;
DROP TYPE IF EXISTS dbo.code_check_row;
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
    new_customers_only            bit              NULL
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
    discount             bigint           NULL
);
GO

CREATE TYPE dbo.code_check_row AS TABLE (
    status      varchar(40)      NOT NULL,
    code        nvarchar(32)     NULL,
    program_id  uniqueidentifier NULL,
    owner_id    nvarchar(64)     NULL,
    reason      varchar(40)      NULL,
    kind        varchar(10)      NULL,
    discount    bigint           NULL,
    credit      bigint           NULL
);
GO

CREATE TYPE dbo.code_row AS TABLE (
    status           varchar(40)      NOT NULL,
    code             nvarchar(32)     NULL,
    program_id       uniqueidentifier NULL,
    owner_id         nvarchar(64)     NULL,
    source           varchar(10)      NULL,
    code_status      varchar(10)      NULL,
    max_redemptions  int              NULL,
    expires_at       datetime2(6)     NULL,
    batch_id         uniqueidentifier NULL,
    created_at       datetime2(6)     NULL
);
GO
