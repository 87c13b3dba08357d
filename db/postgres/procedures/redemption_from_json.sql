-- A stored idempotency outcome back as a redemption_row.
CREATE OR REPLACE FUNCTION redemption_from_json(p_outcome text)
RETURNS redemption_row
LANGUAGE sql STABLE AS $$
    SELECT * FROM jsonb_populate_record(NULL::redemption_row, p_outcome::jsonb);
$$;
