-- An admin's vanity code (EMILY10) for a program: source 'vanity'. Partner and referral codes have an owner (the
-- partner or referrer), promo codes none. The code's key is unique across the service: taken is code_taken.
-- The deny-list is applied by the service before the call. Locks: the code's key (the insert).
CREATE OR REPLACE FUNCTION create_code(
    p_program_id uuid, p_code varchar, p_owner_id varchar, p_max_redemptions integer, p_expires_at timestamptz,
    p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF code_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_kind varchar(10);
    v_result code_row;
BEGIN
    SELECT i.outcome INTO v_outcome
    FROM idempotency_begin(p_caller_id, p_idempotency_key, 'create_code', p_request_hash) i;
    IF v_outcome IS NOT NULL THEN
        RETURN NEXT jsonb_populate_record(NULL::code_row, v_outcome::jsonb);
        RETURN;
    END IF;

    <<work>>
    BEGIN
        SELECT p.kind INTO v_kind FROM programs p WHERE p.id = p_program_id;
        v_result.status := CASE
            WHEN v_kind IS NULL THEN 'not_found'
            WHEN v_kind = 'promo' AND p_owner_id IS NOT NULL THEN 'wrong_program_kind'
            WHEN v_kind <> 'promo' AND p_owner_id IS NULL THEN 'owner_required'
        END;
        EXIT work WHEN v_result.status IS NOT NULL;

        INSERT INTO referral_codes (code, program_id, owner_id, created_at, source, max_redemptions, expires_at)
        VALUES (p_code, p_program_id, p_owner_id, now(), 'vanity', p_max_redemptions, p_expires_at)
        ON CONFLICT (code) DO NOTHING
        RETURNING 'ok', code, program_id, owner_id, source, status, max_redemptions, expires_at, batch_id, created_at
        INTO v_result;
        IF NOT FOUND THEN
            v_result.status := 'code_taken';
        END IF;
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'create_code', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
