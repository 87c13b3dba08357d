-- One of a customer's spends as a spend_row; status 'not_found' (and NULLs) when that customer has no
-- such spend (another customer's spend is not found either). One read statement: no explicit
-- transaction, nothing to roll back.
CREATE OR ALTER PROCEDURE dbo.get_spend
    @id           uniqueidentifier,
    @customer_id  nvarchar(64)
AS
BEGIN
    SET NOCOUNT ON;

    SELECT CAST(COALESCE(v.status, 'not_found') AS varchar(40)) AS status, v.id, v.customer_id, v.order_id,
           v.amount, v.currency, v.spend_status, v.balance_after, v.created_at, v.reversed_at
    FROM (VALUES (1)) AS one (n)
    LEFT JOIN dbo.spend_view(@id) v ON v.customer_id = @customer_id;
END;
