-- Core schema: programs, referral codes, redemptions, spends, the double-entry ledger and
-- idempotency keys. Run once by DbUp; later changes go in new numbered scripts.

CREATE TABLE programs (
    id                        uuid         PRIMARY KEY,
    name                      varchar(200) NOT NULL,
    currency                  char(3)      NOT NULL,
    referrer_reward           bigint       NOT NULL CHECK (referrer_reward > 0),
    referee_reward            bigint       NOT NULL CHECK (referee_reward > 0),
    minimum_order_amount      bigint       NOT NULL CHECK (minimum_order_amount >= 0),
    max_rewards_per_referrer  integer      NULL CHECK (max_rewards_per_referrer > 0),
    status                    varchar(10)  NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    funding_account_id        bigint       NOT NULL,
    created_at                timestamptz  NOT NULL,
    updated_at                timestamptz  NOT NULL
);

-- One account per customer and currency (stored balances), one funding account per program and
-- one spent account per currency (balances derived from transfers, so no hot row).
CREATE TABLE accounts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             varchar(10) NOT NULL CHECK (kind IN ('customer', 'funding', 'spent')),
    owner_id         varchar(64) NOT NULL,
    currency         char(3)     NOT NULL,
    debits_pending   bigint      NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    credits_pending  bigint      NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    debits_posted    bigint      NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_posted   bigint      NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    created_at       timestamptz NOT NULL,
    CONSTRAINT accounts_owner_uq UNIQUE (kind, owner_id, currency),
    -- Invariant 3: a customer's available credit is never negative.
    CONSTRAINT accounts_no_overdraft CHECK (kind <> 'customer' OR credits_posted >= debits_posted)
);

ALTER TABLE programs ADD CONSTRAINT programs_funding_fk FOREIGN KEY (funding_account_id) REFERENCES accounts (id);

CREATE TABLE referral_codes (
    code          varchar(32) PRIMARY KEY,
    program_id    uuid        NOT NULL REFERENCES programs (id),
    owner_id      varchar(64) NOT NULL,
    -- Rewards currently granted (pending or posted) through this code: the referrer cap's counter.
    reward_count  integer     NOT NULL DEFAULT 0 CHECK (reward_count >= 0),
    created_at    timestamptz NOT NULL,
    CONSTRAINT referral_codes_owner_uq UNIQUE (program_id, owner_id)
);

CREATE TABLE redemptions (
    id                   uuid         PRIMARY KEY,
    program_id           uuid         NOT NULL, -- no FK: it would KEY SHARE-lock the program row on every redemption
    code                 varchar(32)  NOT NULL REFERENCES referral_codes (code),
    referrer_id          varchar(64)  NOT NULL,
    referee_id           varchar(64)  NOT NULL,
    order_id             varchar(64)  NULL,
    status               varchar(10)  NOT NULL CHECK (status IN ('pending', 'rewarded', 'reversed')),
    currency             char(3)      NOT NULL,
    referrer_reward      bigint       NOT NULL,
    referee_reward       bigint       NOT NULL,
    qualifying_order_id  varchar(64)  NULL,
    order_amount         bigint       NULL,
    referrer_shortfall   bigint       NULL,
    referee_shortfall    bigint       NULL,
    reversal_reason      varchar(200) NULL,
    created_at           timestamptz  NOT NULL,
    qualified_at         timestamptz  NULL,
    reversed_at          timestamptz  NULL,
    -- Invariant 6: a referee is rewarded at most once per program.
    CONSTRAINT redemptions_referee_uq UNIQUE (program_id, referee_id),
    CONSTRAINT redemptions_not_self CHECK (referrer_id <> referee_id)
);

CREATE TABLE spends (
    id             uuid        PRIMARY KEY,
    customer_id    varchar(64) NOT NULL,
    order_id       varchar(64) NOT NULL,
    amount         bigint      NOT NULL CHECK (amount > 0),
    currency       char(3)     NOT NULL,
    status         varchar(10) NOT NULL CHECK (status IN ('spent', 'reversed')),
    balance_after  bigint      NOT NULL,
    created_at     timestamptz NOT NULL,
    reversed_at    timestamptz NULL,
    -- Natural key: one spend per order per customer.
    CONSTRAINT spends_order_uq UNIQUE (customer_id, order_id)
);

-- The ledger. Rows are never updated: posting or voiding a pending transfer is a new row that
-- points at it (phase 'post' or 'void'), and the unique pending_id makes that happen at most once.
CREATE TABLE transfers (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- No foreign keys to accounts: each insert would KEY SHARE-lock the program's funding account
    -- or the spent account, rows that every redemption or spend touches (a hot row by the back
    -- door). Only the procedures write here, and ledger_check proves every account exists.
    debit_account_id   bigint      NOT NULL,
    credit_account_id  bigint      NOT NULL,
    -- The customer's side of the transfer (every transfer has exactly one): the statement's key.
    customer_account_id bigint     NOT NULL,
    amount             bigint      NOT NULL CHECK (amount > 0),
    currency           char(3)     NOT NULL,
    phase              varchar(8)  NOT NULL CHECK (phase IN ('pending', 'post', 'void', 'posted')),
    pending_id         bigint      NULL REFERENCES transfers (id),
    kind               varchar(20) NOT NULL,
    redemption_id      uuid        NULL,
    spend_id           uuid        NULL,
    created_at         timestamptz NOT NULL,
    CONSTRAINT transfers_distinct_accounts CHECK (debit_account_id <> credit_account_id),
    CONSTRAINT transfers_pending_ref CHECK ((phase IN ('post', 'void')) = (pending_id IS NOT NULL)),
    CONSTRAINT transfers_customer_side CHECK (customer_account_id IN (debit_account_id, credit_account_id))
);

-- Invariant 4: a pending transfer is posted or voided at most once, never both.
CREATE UNIQUE INDEX transfers_resolves_once ON transfers (pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX transfers_customer_ix ON transfers (customer_account_id, id);
CREATE INDEX transfers_redemption_ix ON transfers (redemption_id) WHERE redemption_id IS NOT NULL;
CREATE INDEX transfers_spend_ix ON transfers (spend_id) WHERE spend_id IS NOT NULL;

-- Idempotency: the key, the request hash and the outcome are written in the transaction of the
-- effect they guard. Keys are kept at least 24 hours.
CREATE TABLE idempotency_keys (
    caller_id     varchar(200) NOT NULL,
    key           varchar(255) NOT NULL,
    operation     varchar(40)  NOT NULL,
    request_hash  char(64)     NOT NULL,
    outcome       text         NULL,
    created_at    timestamptz  NOT NULL,
    PRIMARY KEY (caller_id, key)
);

-- Result shapes of the procedures; the same columns come back from SQL Server.
CREATE TYPE program_row AS (
    status                    varchar(40),
    id                        uuid,
    name                      varchar(200),
    currency                  char(3),
    referrer_reward           bigint,
    referee_reward            bigint,
    minimum_order_amount      bigint,
    max_rewards_per_referrer  integer,
    program_status            varchar(10),
    created_at                timestamptz,
    updated_at                timestamptz
);

CREATE TYPE referral_code_row AS (
    status      varchar(40),
    code        varchar(32),
    program_id  uuid,
    owner_id    varchar(64),
    created     boolean
);

CREATE TYPE code_check_row AS (
    status      varchar(40),
    code        varchar(32),
    program_id  uuid,
    owner_id    varchar(64),
    reason      varchar(40)
);

CREATE TYPE redemption_row AS (
    status               varchar(40),
    id                   uuid,
    program_id           uuid,
    code                 varchar(32),
    referrer_id          varchar(64),
    referee_id           varchar(64),
    order_id             varchar(64),
    redemption_status    varchar(10),
    currency             char(3),
    referrer_reward      bigint,
    referee_reward       bigint,
    referrer_shortfall   bigint,
    referee_shortfall    bigint,
    qualifying_order_id  varchar(64),
    order_amount         bigint,
    reversal_reason      varchar(200),
    created_at           timestamptz,
    qualified_at         timestamptz,
    reversed_at          timestamptz
);

CREATE TYPE spend_row AS (
    status         varchar(40),
    id             uuid,
    customer_id    varchar(64),
    order_id       varchar(64),
    amount         bigint,
    currency       char(3),
    spend_status   varchar(10),
    balance_after  bigint,
    created_at     timestamptz,
    reversed_at    timestamptz
);

CREATE TYPE balance_row AS (
    currency   char(3),
    available  bigint,
    pending    bigint
);

CREATE TYPE transaction_row AS (
    id             bigint,
    kind           varchar(20),
    phase          varchar(8),
    amount         bigint,
    currency       char(3),
    redemption_id  uuid,
    spend_id       uuid,
    created_at     timestamptz
);

CREATE TYPE trial_balance_row AS (
    currency         char(3),
    posted_debits    bigint,
    posted_credits   bigint,
    pending_debits   bigint,
    pending_credits  bigint
);

CREATE TYPE ledger_violation_row AS (
    invariant   varchar(40),
    account_id  bigint,
    currency    char(3),
    detail      varchar(400)
);
