-- A stored idempotency outcome back as a code_batch_row.
-- PL/pgSQL so that its plan is cached for the session (see add_to_account.sql).
CREATE OR REPLACE FUNCTION code_batch_from_json(p_outcome text)
RETURNS code_batch_row
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN jsonb_populate_record(NULL::code_batch_row, p_outcome::jsonb);
END;
$$;
