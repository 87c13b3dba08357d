CREATE OR REPLACE FUNCTION get_program(p_id uuid)
RETURNS SETOF program_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_result program_row;
BEGIN
    v_result := program_view(p_id);
    IF v_result.id IS NULL THEN
        v_result.status := 'not_found';
    END IF;
    RETURN NEXT v_result;
END;
$$;
