-- Records a batch of codes to generate for a promo program; a background worker generates them
-- (add_batch_codes). The pattern arrives checked and normalised (upper case, prefix/length as '#'s).
-- Only promo programs take batches: partner and referral codes need owners.
CREATE OR REPLACE FUNCTION create_code_batch(
    p_id uuid, p_program_id uuid, p_pattern varchar, p_code_count integer, p_max_redemptions integer,
    p_expires_at timestamptz, p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF code_batch_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_kind varchar(10);
    v_result code_batch_row;
BEGIN
    SELECT i.outcome INTO v_outcome
    FROM idempotency_begin(p_caller_id, p_idempotency_key, 'create_code_batch', p_request_hash) i;
    IF v_outcome IS NOT NULL THEN
        RETURN NEXT code_batch_from_json(v_outcome);
        RETURN;
    END IF;

    SELECT p.kind INTO v_kind FROM programs p WHERE p.id = p_program_id;
    IF v_kind IS NULL THEN
        v_result.status := 'not_found';
    ELSIF v_kind <> 'promo' THEN
        v_result.status := 'wrong_program_kind';
    ELSE
        INSERT INTO code_batches (id, program_id, pattern, code_count, generated, status, max_redemptions, expires_at,
                                  created_at, updated_at)
        VALUES (p_id, p_program_id, p_pattern, p_code_count, 0, 'pending', p_max_redemptions, p_expires_at, now(), now());
        v_result := code_batch_view(p_id);
    END IF;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'create_code_batch', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
