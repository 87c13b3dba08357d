-- The program_row of one program, status 'ok'; no row when there is no such program.
-- Timestamps come back as datetime2 in UTC.
CREATE OR ALTER FUNCTION dbo.program_view(@id uniqueidentifier)
RETURNS TABLE
AS
RETURN
    SELECT CAST('ok' AS varchar(40)) AS status, p.id, p.name, p.currency, p.referrer_reward, p.referee_reward,
           p.minimum_order_amount, p.max_rewards_per_referrer, p.status AS program_status,
           CONVERT(datetime2(6), SWITCHOFFSET(p.created_at, '+00:00')) AS created_at,
           CONVERT(datetime2(6), SWITCHOFFSET(p.updated_at, '+00:00')) AS updated_at,
           p.kind, p.offer_type, p.offer_percent_off, p.offer_max_discount, p.offer_amount, p.commission_amount,
           p.commission_basis_points, p.commission_max,
           CONVERT(datetime2(6), SWITCHOFFSET(p.starts_at, '+00:00')) AS starts_at,
           CONVERT(datetime2(6), SWITCHOFFSET(p.ends_at, '+00:00')) AS ends_at,
           p.max_redemptions_per_code, p.max_redemptions_per_customer, p.new_customers_only, p.landing_url, p.ios_app_store_url,
           p.android_package, p.deep_link_template, p.share_text_template, p.hold_days, p.qualify_within_days,
           p.credit_expiry_days, p.budget, p.committed
    FROM dbo.programs p
    WHERE p.id = @id;
