-- A stored idempotency outcome back as a spend_row.
CREATE OR REPLACE FUNCTION spend_from_json(p_outcome text)
RETURNS spend_row
LANGUAGE sql STABLE AS $$
    SELECT * FROM jsonb_populate_record(NULL::spend_row, p_outcome::jsonb);
$$;
