-- A program's share-link stats over [p_from, p_to), over all its codes: what code_stats answers for one code (its
-- comments define each column). Status not_found for an unknown program.
-- One statement, so one snapshot. Clicks: a range of clicks_program_ix. Redemptions: there is no (program_id,
-- created_at) index, which every redemption would pay for; they are read through the per-program indexes redeem keeps
-- anyway (redemptions_referee_uq for referral redemptions, redemptions_customer_ix for the others: their predicates
-- written out, so that each can be used), and the period is applied to the rows.
CREATE OR REPLACE FUNCTION program_stats(p_program_id uuid, p_from timestamptz, p_to timestamptz)
RETURNS SETOF link_stats_row
LANGUAGE sql STABLE AS $$
    WITH the_program AS (
        SELECT p.id AS program_id, p.currency FROM programs p WHERE p.id = p_program_id
    ), click_counts AS (
        SELECT count(*) AS clicks,
               count(DISTINCT ((k.clicked_at AT TIME ZONE 'UTC')::date, k.ip_hash)) AS unique_visitors,
               count(*) FILTER (WHERE k.platform = 'ios') AS ios_clicks,
               count(*) FILTER (WHERE k.platform = 'android') AS android_clicks,
               count(*) FILTER (WHERE k.platform = 'desktop') AS desktop_clicks,
               count(*) FILTER (WHERE k.platform = 'other') AS other_clicks
        FROM clicks k
        WHERE k.program_id = p_program_id AND k.clicked_at >= p_from AND k.clicked_at < p_to
    ), program_redemptions AS (
        SELECT r.status, r.click_id, r.referrer_reward + r.referee_reward + r.discount AS cost
        FROM redemptions r
        WHERE r.program_id = p_program_id AND r.kind = 'referral' AND r.created_at >= p_from AND r.created_at < p_to
        UNION ALL
        SELECT r.status, r.click_id, r.referrer_reward + r.referee_reward + r.discount
        FROM redemptions r
        WHERE r.program_id = p_program_id AND r.kind <> 'referral' AND r.created_at >= p_from AND r.created_at < p_to
    ), redemption_counts AS (
        SELECT count(*) AS redemptions,
               count(*) FILTER (WHERE r.status IN ('held', 'rewarded', 'redeemed')) AS qualified,
               count(*) FILTER (WHERE r.status = 'reversed') AS reversed,
               count(*) FILTER (WHERE r.click_id IS NOT NULL) AS redemptions_from_clicks,
               count(*) FILTER (WHERE r.click_id IS NOT NULL AND r.status IN ('held', 'rewarded', 'redeemed')) AS qualified_from_clicks,
               COALESCE(sum(r.cost) FILTER (WHERE r.status IN ('rewarded', 'redeemed')), 0) AS reward_cost,
               COALESCE(sum(r.cost) FILTER (WHERE r.status IN ('pending', 'held')), 0) AS pending_reward_cost
        FROM program_redemptions r
    )
    SELECT CASE WHEN t.program_id IS NULL THEN 'not_found' ELSE 'ok' END::varchar(40), t.program_id, t.currency,
           k.clicks, k.unique_visitors, k.ios_clicks, k.android_clicks, k.desktop_clicks, k.other_clicks,
           r.redemptions, r.qualified, r.reversed, r.redemptions_from_clicks, r.qualified_from_clicks,
           r.reward_cost::numeric, r.pending_reward_cost::numeric
    FROM (SELECT 1) AS one
    LEFT JOIN the_program t ON true
    CROSS JOIN click_counts k
    CROSS JOIN redemption_counts r;
$$;
