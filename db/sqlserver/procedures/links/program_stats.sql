-- A program's share-link stats over [@from, @to), over all its codes (the PostgreSQL twins define each column).
-- Status not_found for an unknown program. Snapshot isolation, one statement and sums for counts, as dbo.code_stats.
-- Redemptions are read through the filtered per-program indexes redeem keeps anyway (redemptions_referee_uq,
-- redemptions_customer_ix: their filters written out as literals, so that each can be used), and the period is
-- applied to the rows.
CREATE OR ALTER PROCEDURE dbo.program_stats
    @program_id  uniqueidentifier,
    @from        datetimeoffset(6),
    @to          datetimeoffset(6)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- Inside a caller's transaction the level cannot change (Msg 3951): read in the caller's, as PG does.
    IF @@TRANCOUNT = 0 SET TRANSACTION ISOLATION LEVEL SNAPSHOT;

    WITH the_program AS (
        SELECT p.id AS program_id, p.currency FROM dbo.programs p WHERE p.id = @program_id
    ), click_counts AS (
        SELECT COUNT_BIG(*) AS clicks,
               COUNT_BIG(DISTINCT CAST(CONVERT(char(8), CAST(SWITCHOFFSET(k.clicked_at, '+00:00') AS date), 112) AS varbinary(8))
                                  + k.ip_hash) AS unique_visitors,
               COALESCE(SUM(CASE WHEN k.platform = 'ios' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS ios_clicks,
               COALESCE(SUM(CASE WHEN k.platform = 'android' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS android_clicks,
               COALESCE(SUM(CASE WHEN k.platform = 'desktop' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS desktop_clicks,
               COALESCE(SUM(CASE WHEN k.platform = 'other' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS other_clicks
        FROM dbo.clicks k
        WHERE k.program_id = @program_id AND k.clicked_at >= @from AND k.clicked_at < @to
    ), program_redemptions AS (
        SELECT r.status, r.click_id, CAST(r.referrer_reward AS decimal(38, 0)) + r.referee_reward + r.discount AS cost
        FROM dbo.redemptions r
        WHERE r.program_id = @program_id AND r.kind = 'referral' AND r.created_at >= @from AND r.created_at < @to
        UNION ALL
        SELECT r.status, r.click_id, CAST(r.referrer_reward AS decimal(38, 0)) + r.referee_reward + r.discount
        FROM dbo.redemptions r
        WHERE r.program_id = @program_id AND r.kind <> 'referral' AND r.created_at >= @from AND r.created_at < @to
    ), redemption_counts AS (
        SELECT COUNT_BIG(*) AS redemptions,
               COALESCE(SUM(CASE WHEN r.status IN ('held', 'rewarded', 'redeemed') THEN CAST(1 AS bigint) ELSE 0 END), 0) AS qualified,
               COALESCE(SUM(CASE WHEN r.status = 'reversed' THEN CAST(1 AS bigint) ELSE 0 END), 0) AS reversed,
               COALESCE(SUM(CASE WHEN r.click_id IS NOT NULL THEN CAST(1 AS bigint) ELSE 0 END), 0) AS redemptions_from_clicks,
               COALESCE(SUM(CASE WHEN r.click_id IS NOT NULL AND r.status IN ('held', 'rewarded', 'redeemed') THEN CAST(1 AS bigint) ELSE 0 END), 0) AS qualified_from_clicks,
               COALESCE(SUM(CASE WHEN r.status IN ('rewarded', 'redeemed') THEN r.cost ELSE 0 END), 0) AS reward_cost,
               COALESCE(SUM(CASE WHEN r.status IN ('pending', 'held') THEN r.cost ELSE 0 END), 0) AS pending_reward_cost
        FROM program_redemptions r
    )
    SELECT CAST(CASE WHEN t.program_id IS NULL THEN 'not_found' ELSE 'ok' END AS varchar(40)) AS status,
           t.program_id, t.currency, k.clicks, k.unique_visitors, k.ios_clicks, k.android_clicks, k.desktop_clicks,
           k.other_clicks, r.redemptions, r.qualified, r.reversed, r.redemptions_from_clicks, r.qualified_from_clicks,
           r.reward_cost, r.pending_reward_cost
    FROM (VALUES (1)) AS one (n)
    LEFT JOIN the_program t ON 1 = 1
    CROSS JOIN click_counts k
    CROSS JOIN redemption_counts r;
END;
