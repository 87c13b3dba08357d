-- A stored idempotency outcome back as a program_row.
CREATE OR REPLACE FUNCTION program_from_json(p_outcome text)
RETURNS program_row
LANGUAGE sql STABLE AS $$
    SELECT * FROM jsonb_populate_record(NULL::program_row, p_outcome::jsonb);
$$;
