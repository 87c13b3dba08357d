-- What an offer or a commission is worth on an order (PostgreSQL: offer_value): a rate in basis points gives
-- floor(order_amount * basis_points / 10000), capped by @max when given; a fixed amount is itself; either is then
-- capped by the order amount, so it is never negative and never more than the order. NULL without an order amount.
-- Amounts are at most 10^12 and basis points at most 10000, so the product (at most 10^16) fits in bigint; bigint
-- division truncates, which is floor for amounts that are never negative.
-- An inline table-valued function (used with CROSS APPLY or a scalar subquery), not a scalar UDF: SQL Server
-- inlines it into the calling statement on every version.
CREATE OR ALTER FUNCTION dbo.offer_value(@order_amount bigint, @basis_points int, @max bigint, @fixed bigint)
RETURNS TABLE
AS
RETURN
    SELECT CASE
               WHEN @order_amount IS NULL THEN CAST(NULL AS bigint)
               WHEN v.amount > @order_amount THEN @order_amount
               WHEN v.amount < 0 THEN CAST(0 AS bigint)
               ELSE v.amount
           END AS amount
    FROM (SELECT CASE
                     WHEN @basis_points IS NULL THEN COALESCE(@fixed, CAST(0 AS bigint))
                     WHEN @max IS NOT NULL AND @order_amount * @basis_points / 10000 > @max THEN @max
                     ELSE @order_amount * @basis_points / 10000
                 END AS amount) AS v;
