-- A redemption's click (the SQL Server twin is db/sqlserver/schema/0011_redemption_clicks.sql).
--
-- 1. click_id: the share-link click the redemption came from: given by the shop (clickId), or else the click the
--    customer claimed (attribution_claims) when that claim is of the redeemed code. NULL when neither. No foreign key
--    (clicks arrive in batches; redeem checks an explicit clickId itself, as the refusal click_not_found).
--    Adding a nullable column without a default rewrites nothing.
ALTER TABLE redemptions ADD COLUMN click_id uuid NULL;

-- 2. Stats of one code over a period (GET /v1/codes/{code}/stats, which a customer asks for their own code) read a
--    range of this index. It is the one index added for stats, and it costs every redemption one more index entry:
--    program stats (staff only) read the program's redemptions through the per-program indexes redeem needs anyway
--    (redemptions_referee_uq, redemptions_customer_ix), rather than an index of their own on (program_id, created_at).
CREATE INDEX redemptions_code_ix ON redemptions (code, created_at);

-- 3. Result shapes.
ALTER TYPE redemption_row ADD ATTRIBUTE click_id uuid;

-- A customer's attribution claim (POST /v1/attributions/claim).
CREATE TYPE attribution_claim_row AS (
    status      varchar(40),
    code        varchar(32),
    click_id    uuid,
    matched_by  varchar(12)
);

-- Stats of a code or a program over [from, to): clicks in the period, redemptions made in it.
CREATE TYPE link_stats_row AS (
    status                 varchar(40),
    program_id             uuid,
    currency               char(3),
    clicks                 bigint,
    unique_visitors        bigint,
    ios_clicks             bigint,
    android_clicks         bigint,
    desktop_clicks         bigint,
    other_clicks           bigint,
    redemptions            bigint,
    qualified              bigint,
    reversed               bigint,
    redemptions_from_clicks bigint,
    qualified_from_clicks  bigint,
    reward_cost            numeric,
    pending_reward_cost    numeric
);
