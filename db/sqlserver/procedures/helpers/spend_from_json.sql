-- A stored idempotency outcome back as a spend_row (PostgreSQL: jsonb_populate_record).
CREATE OR ALTER FUNCTION dbo.spend_from_json(@outcome nvarchar(max))
RETURNS TABLE
AS
RETURN
    SELECT * FROM OPENJSON(@outcome) WITH (
        status varchar(40), id uniqueidentifier, customer_id nvarchar(64), order_id nvarchar(64),
        amount bigint, currency char(3), spend_status varchar(10), balance_after bigint,
        created_at datetime2(6), reversed_at datetime2(6));
