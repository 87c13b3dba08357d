CREATE OR REPLACE FUNCTION get_redemption(p_id uuid)
RETURNS SETOF redemption_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_result redemption_row;
BEGIN
    v_result := redemption_view(p_id);
    IF v_result.id IS NULL THEN
        v_result.status := 'not_found';
    END IF;
    RETURN NEXT v_result;
END;
$$;
