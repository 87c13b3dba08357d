-- A code's share-link stats over [@from, @to) (the PostgreSQL twin defines each column). @owner_id, when given, must
-- own the code; otherwise, and for an unknown code, status code_not_found.
-- Snapshot isolation: one point in time, as PostgreSQL's single statement reads, without blocking writers (as
-- dbo.trial_balance; the database has ALLOW_SNAPSHOT_ISOLATION ON, db/sqlserver/prerequisites.sql). One statement, so
-- no explicit transaction. A unique visitor is the UTC day's 8 characters (yyyymmdd) followed by the address hash:
-- COUNT(DISTINCT) takes one expression.
-- Counts are sums of CASE ... ELSE 0 rather than COUNT(CASE ...): same numbers, and no "NULL eliminated" warning.
CREATE OR ALTER PROCEDURE dbo.code_stats
    @code      nvarchar(32),
    @owner_id  nvarchar(64),
    @from      datetimeoffset(6),
    @to        datetimeoffset(6)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- Inside a caller's transaction the level cannot change (Msg 3951): read in the caller's, as PG does.
    IF @@TRANCOUNT = 0 SET TRANSACTION ISOLATION LEVEL SNAPSHOT;

    WITH the_code AS (
        SELECT c.program_id, p.currency
        FROM dbo.referral_codes c JOIN dbo.programs p ON p.id = c.program_id
        WHERE c.code = @code AND (@owner_id IS NULL OR c.owner_id = @owner_id)
    ), click_counts AS (
        SELECT COUNT_BIG(*) AS clicks,
               COUNT_BIG(DISTINCT CAST(CONVERT(char(8), CAST(SWITCHOFFSET(k.clicked_at, '+00:00') AS date), 112) AS varbinary(8))
                                  + k.ip_hash) AS unique_visitors,
               COALESCE(SUM(CASE WHEN k.platform = 'ios' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS ios_clicks,
               COALESCE(SUM(CASE WHEN k.platform = 'android' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS android_clicks,
               COALESCE(SUM(CASE WHEN k.platform = 'desktop' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS desktop_clicks,
               COALESCE(SUM(CASE WHEN k.platform = 'other' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS other_clicks
        FROM dbo.clicks k
        WHERE k.code = @code AND k.clicked_at >= @from AND k.clicked_at < @to
    ), redemption_counts AS (
        SELECT COUNT_BIG(*) AS redemptions,
               COALESCE(SUM(CASE WHEN r.status IN ('held', 'rewarded', 'redeemed') THEN CAST(1 AS bigint) ELSE 0 END), 0) AS qualified,
               COALESCE(SUM(CASE WHEN r.status = 'reversed' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS reversed,
               COALESCE(SUM(CASE WHEN r.click_id IS NOT NULL THEN CAST(1 AS bigint) ELSE 0 END), 0) AS redemptions_from_clicks,
               COALESCE(SUM(CASE WHEN r.click_id IS NOT NULL AND r.status IN ('held', 'rewarded', 'redeemed') THEN CAST(1 AS bigint) ELSE 0 END), 0) AS qualified_from_clicks,
               COALESCE(SUM(CASE WHEN r.status IN ('rewarded', 'redeemed')
                                 THEN CAST(r.referrer_reward AS decimal(38, 0)) + r.referee_reward + r.discount ELSE 0 END), 0)
                   AS reward_cost,
               COALESCE(SUM(CASE WHEN r.status IN ('pending', 'held')
                                 THEN CAST(r.referrer_reward AS decimal(38, 0)) + r.referee_reward + r.discount ELSE 0 END), 0)
                   AS pending_reward_cost
        FROM dbo.redemptions r
        WHERE r.code = @code AND r.created_at >= @from AND r.created_at < @to
    )
    SELECT CAST(CASE WHEN t.program_id IS NULL THEN 'code_not_found' ELSE 'ok' END AS varchar(40)) AS status,
           t.program_id, t.currency, k.clicks, k.unique_visitors, k.ios_clicks, k.android_clicks, k.desktop_clicks,
           k.other_clicks, r.redemptions, r.qualified, r.reversed, r.redemptions_from_clicks, r.qualified_from_clicks,
           r.reward_cost, r.pending_reward_cost
    FROM (VALUES (1)) AS one (n)
    LEFT JOIN the_code t ON 1 = 1
    CROSS JOIN click_counts k
    CROSS JOIN redemption_counts r;
END;
