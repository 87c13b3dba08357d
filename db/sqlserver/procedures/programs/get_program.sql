-- One program as a program_row; status 'not_found' (and NULLs) when there is no such program. One read
-- statement (as dbo.get_spend): no explicit transaction, nothing to roll back.
CREATE OR ALTER PROCEDURE dbo.get_program
    @id uniqueidentifier
AS
BEGIN
    SET NOCOUNT ON;

    SELECT CAST(COALESCE(v.status, 'not_found') AS varchar(40)) AS status, v.id, v.name, v.currency,
           v.referrer_reward, v.referee_reward, v.minimum_order_amount, v.max_rewards_per_referrer,
           v.program_status, v.created_at, v.updated_at, v.kind, v.offer_type, v.offer_percent_off,
           v.offer_max_discount, v.offer_amount, v.commission_amount, v.commission_basis_points, v.commission_max,
           v.starts_at, v.ends_at, v.max_redemptions_per_code, v.max_redemptions_per_customer, v.new_customers_only,
           v.landing_url, v.ios_app_store_url, v.android_package, v.deep_link_template, v.share_text_template,
           v.hold_days, v.qualify_within_days, v.credit_expiry_days, v.budget, v.committed
    FROM (VALUES (1)) AS one (n)
    LEFT JOIN dbo.program_view(@id) v ON 1 = 1;
END;
