-- A spend as its result row (status 'ok'); all columns NULL when there is none.
-- PL/pgSQL so that its plan is cached for the session (see add_to_account.sql).
CREATE OR REPLACE FUNCTION spend_view(p_id uuid)
RETURNS spend_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_row spend_row;
BEGIN
    SELECT 'ok', s.id, s.customer_id, s.order_id, s.amount, s.currency, s.status,
           s.balance_after, s.created_at, s.reversed_at
    INTO v_row
    FROM spends s
    WHERE s.id = p_id;
    RETURN v_row;
END;
$$;
