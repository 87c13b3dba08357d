-- The spend_row of one spend, status 'ok'; no row when there is no such spend.
-- Timestamps come back as datetime2 in UTC.
CREATE OR ALTER FUNCTION dbo.spend_view(@id uniqueidentifier)
RETURNS TABLE
AS
RETURN
    SELECT CAST('ok' AS varchar(40)) AS status, s.id, s.customer_id, s.order_id, s.amount, s.currency,
           s.status AS spend_status, s.balance_after,
           CONVERT(datetime2(6), SWITCHOFFSET(s.created_at, '+00:00')) AS created_at,
           CONVERT(datetime2(6), SWITCHOFFSET(s.reversed_at, '+00:00')) AS reversed_at
    FROM dbo.spends s
    WHERE s.id = @id;
