-- A stored idempotency outcome back as a redemption_row (PostgreSQL: jsonb_populate_record).
CREATE OR ALTER FUNCTION dbo.redemption_from_json(@outcome nvarchar(max))
RETURNS TABLE
AS
RETURN
    SELECT * FROM OPENJSON(@outcome) WITH (
        status varchar(40), id uniqueidentifier, program_id uniqueidentifier, code nvarchar(32),
        referrer_id nvarchar(64), referee_id nvarchar(64), order_id nvarchar(64),
        redemption_status varchar(10), currency char(3), referrer_reward bigint, referee_reward bigint,
        referrer_shortfall bigint, referee_shortfall bigint, qualifying_order_id nvarchar(64),
        order_amount bigint, reversal_reason nvarchar(200), created_at datetime2(6),
        qualified_at datetime2(6), reversed_at datetime2(6), kind varchar(10), discount bigint);
