-- What an offer or a commission is worth on an order (DESIGN/README "Arithmetic"): a rate in basis points gives
-- floor(order_amount * basis_points / 10000), capped by p_max when given; a fixed amount is itself; either is then
-- capped by the order amount, so it is never negative and never more than the order. NULL without an order amount.
-- Amounts are at most 10^12 and basis points at most 10000, so the product (at most 10^16) fits in bigint.
-- LANGUAGE sql and IMMUTABLE: inlined into the calling statement.
CREATE OR REPLACE FUNCTION offer_value(p_order_amount bigint, p_basis_points integer, p_max bigint, p_fixed bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
               WHEN p_order_amount IS NULL THEN NULL
               WHEN p_basis_points IS NOT NULL THEN
                   GREATEST(0, LEAST(p_order_amount * p_basis_points / 10000, COALESCE(p_max, p_order_amount), p_order_amount))
               ELSE GREATEST(0, LEAST(COALESCE(p_fixed, 0), p_order_amount))
           END;
$$;
