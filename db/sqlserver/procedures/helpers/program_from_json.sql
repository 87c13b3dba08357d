-- A stored idempotency outcome back as a program_row (PostgreSQL: jsonb_populate_record).
CREATE OR ALTER FUNCTION dbo.program_from_json(@outcome nvarchar(max))
RETURNS TABLE
AS
RETURN
    SELECT * FROM OPENJSON(@outcome) WITH (
        status varchar(40), id uniqueidentifier, name nvarchar(200), currency char(3),
        referrer_reward bigint, referee_reward bigint, minimum_order_amount bigint,
        max_rewards_per_referrer int, program_status varchar(10), created_at datetime2(6),
        updated_at datetime2(6), kind varchar(10), offer_type varchar(10), offer_percent_off int,
        offer_max_discount bigint, offer_amount bigint, commission_amount bigint, commission_basis_points int,
        commission_max bigint, starts_at datetime2(6), ends_at datetime2(6), max_redemptions_per_code int,
        max_redemptions_per_customer int, new_customers_only bit);
