-- A customer's personal code for a program: the existing one, or the candidate the caller drew.
-- status 'code_collision' asks the caller to draw another candidate (another owner has it).
CREATE OR REPLACE FUNCTION get_or_create_referral_code(p_program_id uuid, p_customer_id varchar, p_candidate_code varchar)
RETURNS SETOF referral_code_row
LANGUAGE plpgsql AS $$
DECLARE
    v_program_status varchar(10);
    v_program_kind varchar(10);
    v_result referral_code_row;
BEGIN
    SELECT 'ok', c.code, c.program_id, c.owner_id, false INTO v_result
    FROM referral_codes c WHERE c.program_id = p_program_id AND c.owner_id = p_customer_id AND c.source = 'personal';
    IF v_result.code IS NOT NULL THEN
        RETURN NEXT v_result;
        RETURN;
    END IF;

    SELECT p.status, p.kind INTO v_program_status, v_program_kind FROM programs p WHERE p.id = p_program_id;
    IF v_program_status IS NULL THEN
        v_result.status := 'not_found';
    ELSIF v_program_kind <> 'referral' THEN
        -- Promo codes have no owner and partner codes are made by an admin (POST /v1/programs/{id}/codes).
        v_result.status := 'wrong_program_kind';
    ELSIF v_program_status <> 'active' THEN
        v_result.status := 'code_inactive';
    ELSE
        INSERT INTO referral_codes (code, program_id, owner_id, created_at)
        VALUES (p_candidate_code, p_program_id, p_customer_id, now())
        ON CONFLICT DO NOTHING;
        IF FOUND THEN
            v_result := ROW('ok', p_candidate_code, p_program_id, p_customer_id, true);
        ELSE
            -- Either a concurrent call created this owner's code, or the candidate is taken.
            SELECT 'ok', c.code, c.program_id, c.owner_id, false INTO v_result
            FROM referral_codes c WHERE c.program_id = p_program_id AND c.owner_id = p_customer_id AND c.source = 'personal';
            IF v_result.code IS NULL THEN
                v_result.status := 'code_collision';
            END IF;
        END IF;
    END IF;
    RETURN NEXT v_result;
END;
$$;
