-- Bulk code batches (the SQL Server twin is db/sqlserver/schema/0008_code_batches.sql).
--
-- A batch asks for code_count codes of a promo program drawn from a pattern ('#' = one symbol of the
-- service alphabet, the rest literal, upper case; the prefix/length form is stored as its pattern).
-- A background worker generates them in chunks; each chunk's codes and the new generated count are
-- written in one transaction, so generated is always the number of codes the batch has, a restart
-- resumes from it, and a batch never gets more than code_count codes.
-- Claiming: the worker that runs a batch holds it until lease_until (renewed by every chunk) under its
-- claimed_by id; another instance takes it only once the lease has run out (the first crashed or
-- stopped), and a chunk from a worker that lost its claim is refused.
-- max_redemptions and expires_at are the settings every code of the batch gets.
-- referral_codes.batch_id has no foreign key here: the check would run once per generated code.
CREATE TABLE code_batches (
    id               uuid         PRIMARY KEY,
    program_id       uuid         NOT NULL REFERENCES programs (id),
    pattern          varchar(32)  NOT NULL CHECK (length(pattern) BETWEEN 3 AND 32 AND pattern !~ '[^A-Z0-9#-]'),
    code_count       integer      NOT NULL CHECK (code_count BETWEEN 1 AND 1000000),
    generated        integer      NOT NULL DEFAULT 0,
    status           varchar(10)  NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    max_redemptions  integer      NULL CHECK (max_redemptions > 0),
    expires_at       timestamptz  NULL,
    claimed_by       uuid         NULL,
    lease_until      timestamptz  NULL,
    failure_reason   varchar(200) NULL,
    created_at       timestamptz  NOT NULL,
    updated_at       timestamptz  NOT NULL,
    completed_at     timestamptz  NULL,
    CONSTRAINT code_batches_generated_check CHECK (generated BETWEEN 0 AND code_count),
    CONSTRAINT code_batches_completed_check CHECK (status <> 'completed' OR generated = code_count)
);

-- The batches a worker may have to run: few rows, found without reading finished ones.
CREATE INDEX code_batches_unfinished_ix ON code_batches (created_at) WHERE status IN ('pending', 'running');

CREATE TYPE code_batch_row AS (
    status           varchar(40),
    id               uuid,
    program_id       uuid,
    pattern          varchar(32),
    code_count       integer,
    generated        integer,
    batch_status     varchar(10),
    max_redemptions  integer,
    expires_at       timestamptz,
    failure_reason   varchar(200),
    created_at       timestamptz,
    updated_at       timestamptz,
    completed_at     timestamptz
);

-- One code of a batch as its listing answers it.
CREATE TYPE batch_code_row AS (
    code             varchar(32),
    code_status      varchar(10),
    max_redemptions  integer,
    expires_at       timestamptz,
    created_at       timestamptz
);
