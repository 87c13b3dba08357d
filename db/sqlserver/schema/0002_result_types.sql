-- Result shapes of the procedures, as table types: each procedure builds its one answer row in a
-- @result of its shape. PostgreSQL has these as composite types since its 0001_core.sql, so its 0002 is empty.

CREATE TYPE dbo.program_row AS TABLE (
    status                    varchar(40)      NOT NULL,
    id                        uniqueidentifier NULL,
    name                      nvarchar(200)    NULL,
    currency                  char(3)          NULL,
    referrer_reward           bigint           NULL,
    referee_reward            bigint           NULL,
    minimum_order_amount      bigint           NULL,
    max_rewards_per_referrer  int              NULL,
    program_status            varchar(10)      NULL,
    created_at                datetime2(6)     NULL,
    updated_at                datetime2(6)     NULL
);
GO

CREATE TYPE dbo.referral_code_row AS TABLE (
    status      varchar(40)      NOT NULL,
    code        nvarchar(32)     NULL,
    program_id  uniqueidentifier NULL,
    owner_id    nvarchar(64)     NULL,
    created     bit              NULL
);
GO

CREATE TYPE dbo.code_check_row AS TABLE (
    status      varchar(40)      NOT NULL,
    code        nvarchar(32)     NULL,
    program_id  uniqueidentifier NULL,
    owner_id    nvarchar(64)     NULL,
    reason      varchar(40)      NULL
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
    reversed_at          datetime2(6)     NULL
);
GO

CREATE TYPE dbo.spend_row AS TABLE (
    status         varchar(40)      NOT NULL,
    id             uniqueidentifier NULL,
    customer_id    nvarchar(64)     NULL,
    order_id       nvarchar(64)     NULL,
    amount         bigint           NULL,
    currency       char(3)          NULL,
    spend_status   varchar(10)      NULL,
    balance_after  bigint           NULL,
    created_at     datetime2(6)     NULL,
    reversed_at    datetime2(6)     NULL
);
GO
