-- A code's share-link stats over [p_from, p_to): clicks made in the period, redemptions made in it (the period is the
-- redemption's, also for its qualification and cost). p_owner_id, when given, must own the code (a customer asking
-- for their own code's stats); otherwise, and for an unknown code, status code_not_found.
-- Unique visitors: distinct address hashes per UTC day (the day of the hash's salt), summed over the days.
-- Qualified: status held (the qualifying order came; its rewards post when the hold ends), rewarded (the qualifying
-- order posted the rewards) or redeemed (a promo redemption, complete when made). reward_cost, in the program's
-- currency: referrer reward or commission + referee reward or promo credit + discount, of the rewarded and redeemed
-- redemptions; pending_reward_cost the same of the pending and held ones; a reversed or expired one costs nothing. *_from_clicks: those attributed to a click (click_id set).
-- One statement, so one snapshot; clicks_code_ix and redemptions_code_ix make it two range reads.
CREATE OR REPLACE FUNCTION code_stats(p_code varchar, p_owner_id varchar, p_from timestamptz, p_to timestamptz)
RETURNS SETOF link_stats_row
LANGUAGE sql STABLE AS $$
    WITH the_code AS (
        SELECT c.program_id, p.currency
        FROM referral_codes c JOIN programs p ON p.id = c.program_id
        WHERE c.code = p_code AND (p_owner_id IS NULL OR c.owner_id = p_owner_id)
    ), click_counts AS (
        SELECT count(*) AS clicks,
               count(DISTINCT ((k.clicked_at AT TIME ZONE 'UTC')::date, k.ip_hash)) AS unique_visitors,
               count(*) FILTER (WHERE k.platform = 'ios') AS ios_clicks,
               count(*) FILTER (WHERE k.platform = 'android') AS android_clicks,
               count(*) FILTER (WHERE k.platform = 'desktop') AS desktop_clicks,
               count(*) FILTER (WHERE k.platform = 'other') AS other_clicks
        FROM clicks k
        WHERE k.code = p_code AND k.clicked_at >= p_from AND k.clicked_at < p_to
    ), redemption_counts AS (
        SELECT count(*) AS redemptions,
               count(*) FILTER (WHERE r.status IN ('held', 'rewarded', 'redeemed')) AS qualified,
               count(*) FILTER (WHERE r.status = 'reversed') AS reversed,
               count(*) FILTER (WHERE r.click_id IS NOT NULL) AS redemptions_from_clicks,
               count(*) FILTER (WHERE r.click_id IS NOT NULL AND r.status IN ('held', 'rewarded', 'redeemed')) AS qualified_from_clicks,
               COALESCE(sum(r.referrer_reward + r.referee_reward + r.discount)
                        FILTER (WHERE r.status IN ('rewarded', 'redeemed')), 0) AS reward_cost,
               COALESCE(sum(r.referrer_reward + r.referee_reward + r.discount) FILTER (WHERE r.status IN ('pending', 'held')), 0)
                   AS pending_reward_cost
        FROM redemptions r
        WHERE r.code = p_code AND r.created_at >= p_from AND r.created_at < p_to
    )
    SELECT CASE WHEN t.program_id IS NULL THEN 'code_not_found' ELSE 'ok' END::varchar(40), t.program_id, t.currency,
           k.clicks, k.unique_visitors, k.ios_clicks, k.android_clicks, k.desktop_clicks, k.other_clicks,
           r.redemptions, r.qualified, r.reversed, r.redemptions_from_clicks, r.qualified_from_clicks,
           r.reward_cost::numeric, r.pending_reward_cost::numeric
    FROM (SELECT 1) AS one
    LEFT JOIN the_code t ON true
    CROSS JOIN click_counts k
    CROSS JOIN redemption_counts r;
$$;
