-- A batch's codes in code order, keyset-paginated on the code (never OFFSET); p_page_size NULL = all of
-- them (the CSV export streams them); '' sorts before every code. One SQL statement, so the planner inlines it and rows stream.
CREATE OR REPLACE FUNCTION list_batch_codes(p_batch_id uuid, p_starting_after varchar, p_page_size integer)
RETURNS SETOF batch_code_row
LANGUAGE sql STABLE AS $$
    SELECT c.code, c.status, c.max_redemptions, c.expires_at, c.created_at
    FROM referral_codes c
    WHERE c.batch_id = p_batch_id AND c.code > COALESCE(p_starting_after, '')
    ORDER BY c.code
    LIMIT p_page_size;
$$;
