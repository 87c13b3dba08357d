-- Changes status and limits. 'ended' is final; NULL arguments leave a field as it is.
CREATE OR REPLACE FUNCTION update_program(
    p_id uuid, p_status varchar, p_max_rewards_per_referrer integer, p_minimum_order_amount bigint)
RETURNS SETOF program_row
LANGUAGE plpgsql AS $$
DECLARE
    v_current varchar(10);
    v_result program_row;
BEGIN
    -- Row lock: the status check decides the write.
    SELECT p.status INTO v_current FROM programs p WHERE p.id = p_id FOR UPDATE;
    IF v_current IS NULL THEN
        v_result.status := 'not_found';
    ELSIF v_current = 'ended' AND COALESCE(p_status, 'ended') <> 'ended' THEN
        v_result.status := 'invalid_state';
    ELSE
        UPDATE programs p
        SET status = COALESCE(p_status, p.status),
            max_rewards_per_referrer = COALESCE(p_max_rewards_per_referrer, p.max_rewards_per_referrer),
            minimum_order_amount = COALESCE(p_minimum_order_amount, p.minimum_order_amount),
            updated_at = now()
        WHERE p.id = p_id;
        v_result := program_view(p_id);
    END IF;
    RETURN NEXT v_result;
END;
$$;
