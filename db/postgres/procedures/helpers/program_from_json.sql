-- A stored idempotency outcome back as a program_row.
-- PL/pgSQL so that its plan is cached for the session (see add_to_account.sql).
-- An outcome stored before 0007 (keys live 24 hours) has no kind: it was a referral program; one stored before 0013
-- reads its time settings and budget as NULL (committed too: the answer was made before programs counted it).
CREATE OR REPLACE FUNCTION program_from_json(p_outcome text)
RETURNS program_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_row program_row := jsonb_populate_record(NULL::program_row, p_outcome::jsonb);
BEGIN
    IF v_row.id IS NOT NULL THEN
        v_row.kind := COALESCE(v_row.kind, 'referral');
        v_row.new_customers_only := COALESCE(v_row.new_customers_only, false);
    END IF;
    RETURN v_row;
END;
$$;
