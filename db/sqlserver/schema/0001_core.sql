-- Core schema: programs, referral codes, redemptions, spends, the double-entry ledger and
-- idempotency keys. Run once by DbUp; later changes go in new numbered scripts.
-- The SQL Server twin of db/postgres/schema/0001_core.sql: same tables, columns, constraints and
-- indexes (constraint names as PostgreSQL generates them). Differences, each for a reason:
-- - timestamptz is datetimeoffset(6), always written in UTC; procedures return it as datetime2(6) UTC.
-- - Ids, codes and currencies use a binary collation, so equality, uniqueness and order are
--   case-sensitive as in PostgreSQL (the database default collation is usually case-insensitive).
-- - Caller-supplied text is nvarchar, so nothing outside the code page turns into '?'.
-- - No composite result types: each procedure's final SELECT has the columns of the PG type.

CREATE TABLE dbo.programs (
    id                        uniqueidentifier NOT NULL CONSTRAINT programs_pkey PRIMARY KEY,
    name                      nvarchar(200)    NOT NULL,
    currency                  char(3)          COLLATE Latin1_General_100_BIN2 NOT NULL,
    referrer_reward           bigint           NOT NULL CONSTRAINT programs_referrer_reward_check CHECK (referrer_reward > 0),
    referee_reward            bigint           NOT NULL CONSTRAINT programs_referee_reward_check CHECK (referee_reward > 0),
    minimum_order_amount      bigint           NOT NULL CONSTRAINT programs_minimum_order_amount_check CHECK (minimum_order_amount >= 0),
    max_rewards_per_referrer  int              NULL CONSTRAINT programs_max_rewards_per_referrer_check CHECK (max_rewards_per_referrer > 0),
    status                    varchar(10)      NOT NULL CONSTRAINT programs_status_check CHECK (status IN ('active', 'paused', 'ended')),
    funding_account_id        bigint           NOT NULL,
    created_at                datetimeoffset(6) NOT NULL,
    updated_at                datetimeoffset(6) NOT NULL
);

-- One account per customer and currency (stored balances), one funding account per program and
-- one spent account per currency (balances derived from transfers, so no hot row).
CREATE TABLE dbo.accounts (
    id               bigint IDENTITY(1,1) NOT NULL CONSTRAINT accounts_pkey PRIMARY KEY,
    kind             varchar(10)  NOT NULL CONSTRAINT accounts_kind_check CHECK (kind IN ('customer', 'funding', 'spent')),
    owner_id         nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    currency         char(3)      COLLATE Latin1_General_100_BIN2 NOT NULL,
    debits_pending   bigint       NOT NULL CONSTRAINT accounts_debits_pending_default DEFAULT 0
                                  CONSTRAINT accounts_debits_pending_check CHECK (debits_pending >= 0),
    credits_pending  bigint       NOT NULL CONSTRAINT accounts_credits_pending_default DEFAULT 0
                                  CONSTRAINT accounts_credits_pending_check CHECK (credits_pending >= 0),
    debits_posted    bigint       NOT NULL CONSTRAINT accounts_debits_posted_default DEFAULT 0
                                  CONSTRAINT accounts_debits_posted_check CHECK (debits_posted >= 0),
    credits_posted   bigint       NOT NULL CONSTRAINT accounts_credits_posted_default DEFAULT 0
                                  CONSTRAINT accounts_credits_posted_check CHECK (credits_posted >= 0),
    created_at       datetimeoffset(6) NOT NULL,
    CONSTRAINT accounts_owner_uq UNIQUE (kind, owner_id, currency),
    -- Invariant 3: a customer's available credit is never negative.
    CONSTRAINT accounts_no_overdraft CHECK (kind <> 'customer' OR credits_posted >= debits_posted)
);

ALTER TABLE dbo.programs ADD CONSTRAINT programs_funding_fk FOREIGN KEY (funding_account_id) REFERENCES dbo.accounts (id);

CREATE TABLE dbo.referral_codes (
    code          nvarchar(32)     COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT referral_codes_pkey PRIMARY KEY,
    program_id    uniqueidentifier NOT NULL CONSTRAINT referral_codes_program_id_fkey REFERENCES dbo.programs (id),
    owner_id      nvarchar(64)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    -- Rewards currently granted (pending or posted) through this code: the referrer cap's counter.
    reward_count  int              NOT NULL CONSTRAINT referral_codes_reward_count_default DEFAULT 0
                                   CONSTRAINT referral_codes_reward_count_check CHECK (reward_count >= 0),
    created_at    datetimeoffset(6) NOT NULL,
    CONSTRAINT referral_codes_owner_uq UNIQUE (program_id, owner_id)
);

CREATE TABLE dbo.redemptions (
    id                   uniqueidentifier NOT NULL CONSTRAINT redemptions_pkey PRIMARY KEY,
    program_id           uniqueidentifier NOT NULL, -- no FK: it would share-lock the program row on every redemption
    code                 nvarchar(32)     COLLATE Latin1_General_100_BIN2 NOT NULL
                                          CONSTRAINT redemptions_code_fkey REFERENCES dbo.referral_codes (code),
    referrer_id          nvarchar(64)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    referee_id           nvarchar(64)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    order_id             nvarchar(64)     COLLATE Latin1_General_100_BIN2 NULL,
    status               varchar(10)      NOT NULL CONSTRAINT redemptions_status_check CHECK (status IN ('pending', 'rewarded', 'reversed')),
    currency             char(3)          COLLATE Latin1_General_100_BIN2 NOT NULL,
    referrer_reward      bigint           NOT NULL,
    referee_reward       bigint           NOT NULL,
    qualifying_order_id  nvarchar(64)     COLLATE Latin1_General_100_BIN2 NULL,
    order_amount         bigint           NULL,
    referrer_shortfall   bigint           NULL,
    referee_shortfall    bigint           NULL,
    reversal_reason      nvarchar(200)    NULL,
    created_at           datetimeoffset(6) NOT NULL,
    qualified_at         datetimeoffset(6) NULL,
    reversed_at          datetimeoffset(6) NULL,
    -- Invariant 6: a referee is rewarded at most once per program.
    CONSTRAINT redemptions_referee_uq UNIQUE (program_id, referee_id),
    CONSTRAINT redemptions_not_self CHECK (referrer_id <> referee_id)
);

CREATE TABLE dbo.spends (
    id             uniqueidentifier NOT NULL CONSTRAINT spends_pkey PRIMARY KEY,
    customer_id    nvarchar(64)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    order_id       nvarchar(64)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    amount         bigint           NOT NULL CONSTRAINT spends_amount_check CHECK (amount > 0),
    currency       char(3)          COLLATE Latin1_General_100_BIN2 NOT NULL,
    status         varchar(10)      NOT NULL CONSTRAINT spends_status_check CHECK (status IN ('spent', 'reversed')),
    balance_after  bigint           NOT NULL,
    created_at     datetimeoffset(6) NOT NULL,
    reversed_at    datetimeoffset(6) NULL,
    -- Natural key: one spend per order per customer.
    CONSTRAINT spends_order_uq UNIQUE (customer_id, order_id)
);

-- The ledger. Rows are never updated: posting or voiding a pending transfer is a new row that
-- points at it (phase 'post' or 'void'), and the unique pending_id makes that happen at most once.
CREATE TABLE dbo.transfers (
    id                 bigint IDENTITY(1,1) NOT NULL CONSTRAINT transfers_pkey PRIMARY KEY,
    -- No foreign keys to accounts: each insert would share-lock the program's funding account or
    -- the spent account, rows every redemption or spend touches. Only the procedures write here,
    -- and ledger_check proves every account exists.
    debit_account_id   bigint           NOT NULL,
    credit_account_id  bigint           NOT NULL,
    -- The customer's side of the transfer (every transfer has exactly one): the statement's key.
    customer_account_id bigint          NOT NULL,
    amount             bigint           NOT NULL CONSTRAINT transfers_amount_check CHECK (amount > 0),
    currency           char(3)          COLLATE Latin1_General_100_BIN2 NOT NULL,
    phase              varchar(8)       NOT NULL CONSTRAINT transfers_phase_check CHECK (phase IN ('pending', 'post', 'void', 'posted')),
    pending_id         bigint           NULL CONSTRAINT transfers_pending_id_fkey REFERENCES dbo.transfers (id),
    kind               varchar(20)      NOT NULL,
    redemption_id      uniqueidentifier NULL,
    spend_id           uniqueidentifier NULL,
    created_at         datetimeoffset(6) NOT NULL,
    CONSTRAINT transfers_distinct_accounts CHECK (debit_account_id <> credit_account_id),
    -- PG: (phase IN ('post', 'void')) = (pending_id IS NOT NULL); T-SQL has no boolean equality.
    CONSTRAINT transfers_pending_ref CHECK ((phase IN ('post', 'void') AND pending_id IS NOT NULL)
                                        OR (phase NOT IN ('post', 'void') AND pending_id IS NULL)),
    CONSTRAINT transfers_customer_side CHECK (customer_account_id IN (debit_account_id, credit_account_id))
);

-- PG's UNIQUE (pending_id): a SQL Server unique constraint allows a single NULL, so a filtered
-- unique index keeps "resolved at most once" without limiting the unresolved (NULL) rows.
CREATE UNIQUE INDEX transfers_resolves_once ON dbo.transfers (pending_id) WHERE pending_id IS NOT NULL;

CREATE INDEX transfers_customer_ix ON dbo.transfers (customer_account_id, id);
CREATE INDEX transfers_redemption_ix ON dbo.transfers (redemption_id) WHERE redemption_id IS NOT NULL;
CREATE INDEX transfers_spend_ix ON dbo.transfers (spend_id) WHERE spend_id IS NOT NULL;

-- Idempotency: the key, the request hash and the outcome are written in the transaction of the
-- effect they guard. Keys are kept at least 24 hours.
-- The primary key is nonclustered: (nvarchar(200), nvarchar(255)) is up to 910 bytes, over the
-- 900-byte limit of a clustered key (a nonclustered key may have 1700).
CREATE TABLE dbo.idempotency_keys (
    caller_id     nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    [key]         nvarchar(255) COLLATE Latin1_General_100_BIN2 NOT NULL,
    operation     varchar(40)   NOT NULL,
    request_hash  char(64)      NOT NULL,
    outcome       nvarchar(max) NULL,
    created_at    datetimeoffset(6) NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY NONCLUSTERED (caller_id, [key])
);
