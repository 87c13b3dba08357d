-- A program's codes in code order, keyset-paginated (code > starting_after, never OFFSET; the (program_id, code)
-- index), optionally only one owner's, one batch's or one status's; a NULL page size answers them all (the CSV
-- export). One 'not_found' row when there is no such program; an existing program without codes answers none.
-- LANGUAGE sql, STABLE and a single query, so that the planner inlines it into the caller's SELECT: the rows then
-- stream to the client as they are read. A PL/pgSQL function (or a SQL one that is not inlined) collects its whole
-- answer in a tuplestore before the first row leaves the server, a million rows for a large batch's export.
-- The cursor is compared through COALESCE (never "IS NULL OR"), so that it stays an index condition in a generic plan.
CREATE OR REPLACE FUNCTION list_codes(
    p_program_id uuid, p_owner_id varchar, p_batch_id uuid, p_status varchar, p_starting_after varchar, p_page_size integer)
RETURNS SETOF code_row
LANGUAGE sql STABLE AS $$
    SELECT 'not_found'::varchar(40), NULL::varchar(32), NULL::uuid, NULL::varchar(64), NULL::varchar(10),
           NULL::varchar(10), NULL::integer, NULL::timestamptz, NULL::uuid, NULL::timestamptz
    WHERE NOT EXISTS (SELECT 1 FROM programs p WHERE p.id = p_program_id)
    UNION ALL
    (SELECT 'ok'::varchar(40), c.code, c.program_id, c.owner_id, c.source, c.status, c.max_redemptions, c.expires_at,
            c.batch_id, c.created_at
     FROM referral_codes c
     WHERE c.program_id = p_program_id
       AND c.code > COALESCE(p_starting_after, '')
       AND (p_owner_id IS NULL OR c.owner_id = p_owner_id)
       AND (p_batch_id IS NULL OR c.batch_id = p_batch_id)
       AND (p_status IS NULL OR c.status = p_status)
     ORDER BY c.code
     LIMIT p_page_size);
$$;
