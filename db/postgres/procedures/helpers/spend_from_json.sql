-- A stored idempotency outcome back as a spend_row.
-- PL/pgSQL so that its plan is cached for the session (see add_to_account.sql).
CREATE OR REPLACE FUNCTION spend_from_json(p_outcome text)
RETURNS spend_row
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN jsonb_populate_record(NULL::spend_row, p_outcome::jsonb);
END;
$$;
