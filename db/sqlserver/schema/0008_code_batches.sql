-- Bulk code batches: the SQL Server twin of db/postgres/schema/0008_code_batches.sql (the comments there
-- say what each part is for). Differences, each for a reason:
-- - dbo.code_list is the table-valued parameter a chunk of drawn codes arrives in (PostgreSQL: a text
--   array); its key makes the codes of one chunk distinct, as the worker sends them.
-- - The unfinished-batch index is a filtered index (PostgreSQL: partial).

CREATE TABLE dbo.code_batches (
    id               uniqueidentifier  NOT NULL CONSTRAINT code_batches_pkey PRIMARY KEY,
    program_id       uniqueidentifier  NOT NULL CONSTRAINT code_batches_program_id_fkey REFERENCES dbo.programs (id),
    pattern          nvarchar(32)      COLLATE Latin1_General_100_BIN2 NOT NULL
                                       CONSTRAINT code_batches_pattern_check
                                       CHECK (LEN(pattern) >= 3 AND pattern NOT LIKE N'%[^A-Z0-9#-]%'),
    code_count       int               NOT NULL CONSTRAINT code_batches_code_count_check CHECK (code_count BETWEEN 1 AND 1000000),
    generated        int               NOT NULL CONSTRAINT code_batches_generated_default DEFAULT 0,
    status           varchar(10)       NOT NULL
                                       CONSTRAINT code_batches_status_check CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    max_redemptions  int               NULL CONSTRAINT code_batches_max_redemptions_check CHECK (max_redemptions > 0),
    expires_at       datetimeoffset(6) NULL,
    claimed_by       uniqueidentifier  NULL,
    lease_until      datetimeoffset(6) NULL,
    failure_reason   nvarchar(200)     NULL,
    created_at       datetimeoffset(6) NOT NULL,
    updated_at       datetimeoffset(6) NOT NULL,
    completed_at     datetimeoffset(6) NULL,
    CONSTRAINT code_batches_generated_check CHECK (generated BETWEEN 0 AND code_count),
    CONSTRAINT code_batches_completed_check CHECK (status <> 'completed' OR generated = code_count)
);
GO

CREATE INDEX code_batches_unfinished_ix ON dbo.code_batches (created_at) WHERE status IN ('pending', 'running');
GO

CREATE TYPE dbo.code_list AS TABLE (
    code  nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY
);
GO

CREATE TYPE dbo.code_batch_row AS TABLE (
    status           varchar(40)      NOT NULL,
    id               uniqueidentifier NULL,
    program_id       uniqueidentifier NULL,
    pattern          nvarchar(32)     NULL,
    code_count       int              NULL,
    generated        int              NULL,
    batch_status     varchar(10)      NULL,
    max_redemptions  int              NULL,
    expires_at       datetime2(6)     NULL,
    failure_reason   nvarchar(200)    NULL,
    created_at       datetime2(6)     NULL,
    updated_at       datetime2(6)     NULL,
    completed_at     datetime2(6)     NULL
);
GO
