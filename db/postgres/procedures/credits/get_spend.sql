-- One of a customer's spends as a spend_row; status 'not_found' (and NULLs) when that customer has no
-- such spend (another customer's spend is not found either).
CREATE OR REPLACE FUNCTION get_spend(p_id uuid, p_customer_id varchar)
RETURNS SETOF spend_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_result spend_row;
BEGIN
    v_result := spend_view(p_id);
    IF v_result.id IS NULL OR v_result.customer_id <> p_customer_id THEN
        v_result := NULL;
        v_result.status := 'not_found';
    END IF;
    RETURN NEXT v_result;
END;
$$;
