CREATE OR REPLACE FUNCTION spend_view(p_id uuid)
RETURNS spend_row
LANGUAGE sql STABLE AS $$
    SELECT 'ok'::varchar(40), s.id, s.customer_id, s.order_id, s.amount, s.currency, s.status,
           s.balance_after, s.created_at, s.reversed_at
    FROM spends s
    WHERE s.id = p_id;
$$;
