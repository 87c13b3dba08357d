CREATE OR REPLACE FUNCTION get_code_batch(p_id uuid)
RETURNS SETOF code_batch_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_result code_batch_row;
BEGIN
    v_result := code_batch_view(p_id);
    IF v_result.id IS NULL THEN
        v_result.status := 'not_found';
    END IF;
    RETURN NEXT v_result;
END;
$$;
