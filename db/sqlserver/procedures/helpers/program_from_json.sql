-- A stored idempotency outcome back as a program_row (PostgreSQL: jsonb_populate_record). An outcome stored
-- before 0007 (keys live 24 hours) has no kind: it was a referral program; one stored before 0013 reads its time
-- settings and budget as NULL (committed too: the answer was made before programs counted it).
CREATE OR ALTER FUNCTION dbo.program_from_json(@outcome nvarchar(max))
RETURNS TABLE
AS
RETURN
    SELECT j.status, j.id, j.name, j.currency, j.referrer_reward, j.referee_reward, j.minimum_order_amount,
           j.max_rewards_per_referrer, j.program_status, j.created_at, j.updated_at,
           CASE WHEN j.id IS NULL THEN j.kind ELSE COALESCE(j.kind, 'referral') END AS kind,
           j.offer_type, j.offer_percent_off, j.offer_max_discount, j.offer_amount, j.commission_amount,
           j.commission_basis_points, j.commission_max, j.starts_at, j.ends_at, j.max_redemptions_per_code,
           j.max_redemptions_per_customer,
           CASE WHEN j.id IS NULL THEN j.new_customers_only ELSE COALESCE(j.new_customers_only, CAST(0 AS bit)) END
               AS new_customers_only,
           j.landing_url, j.ios_app_store_url, j.android_package, j.deep_link_template, j.share_text_template,
           j.hold_days, j.qualify_within_days, j.credit_expiry_days, j.budget, j.committed
    FROM OPENJSON(@outcome) WITH (
        status varchar(40), id uniqueidentifier, name nvarchar(200), currency char(3),
        referrer_reward bigint, referee_reward bigint, minimum_order_amount bigint,
        max_rewards_per_referrer int, program_status varchar(10), created_at datetime2(6),
        updated_at datetime2(6), kind varchar(10), offer_type varchar(10), offer_percent_off int,
        offer_max_discount bigint, offer_amount bigint, commission_amount bigint, commission_basis_points int,
        commission_max bigint, starts_at datetime2(6), ends_at datetime2(6), max_redemptions_per_code int,
        max_redemptions_per_customer int, new_customers_only bit, landing_url nvarchar(2000), ios_app_store_url nvarchar(2000),
        android_package varchar(255), deep_link_template nvarchar(2000), share_text_template nvarchar(1000),
        hold_days int, qualify_within_days int, credit_expiry_days int, budget bigint, committed bigint) AS j;
