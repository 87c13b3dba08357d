-- Would this code work for this customer right now? Reads only; takes no locks.
CREATE OR REPLACE FUNCTION check_code(p_code varchar, p_customer_id varchar)
RETURNS SETOF code_check_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_program programs%ROWTYPE;
    v_owner varchar(64);
    v_count integer;
    v_result code_check_row;
BEGIN
    SELECT c.owner_id, c.reward_count INTO v_owner, v_count FROM referral_codes c WHERE c.code = p_code;
    IF v_owner IS NULL THEN
        v_result.status := 'code_not_found';
        RETURN NEXT v_result;
        RETURN;
    END IF;
    SELECT p.* INTO v_program FROM programs p JOIN referral_codes c ON c.program_id = p.id WHERE c.code = p_code;
    v_result := ROW('ok', p_code, v_program.id, v_owner, NULL);
    IF v_program.status <> 'active' THEN
        v_result.reason := 'code_inactive';
    ELSIF p_customer_id IS NOT NULL AND p_customer_id = v_owner THEN
        v_result.reason := 'self_referral';
    ELSIF p_customer_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM redemptions r WHERE r.program_id = v_program.id AND r.referee_id = p_customer_id) THEN
        v_result.reason := 'already_referred';
    ELSIF v_program.max_rewards_per_referrer IS NOT NULL AND v_count >= v_program.max_rewards_per_referrer THEN
        v_result.reason := 'referrer_cap_reached';
    END IF;
    RETURN NEXT v_result;
END;
$$;
