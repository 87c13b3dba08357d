-- A program as its result row (status 'ok'); all columns NULL when there is none.
-- PL/pgSQL so that its plan is cached for the session (see add_to_account.sql).
CREATE OR REPLACE FUNCTION program_view(p_id uuid)
RETURNS program_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_row program_row;
BEGIN
    SELECT 'ok', p.id, p.name, p.currency, p.referrer_reward, p.referee_reward,
           p.minimum_order_amount, p.max_rewards_per_referrer, p.status, p.created_at, p.updated_at
    INTO v_row
    FROM programs p
    WHERE p.id = p_id;
    RETURN v_row;
END;
$$;
