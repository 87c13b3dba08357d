-- A redemption as its result row (status 'ok'); all columns NULL when there is none.
-- PL/pgSQL so that its plan is cached for the session (see add_to_account.sql).
CREATE OR REPLACE FUNCTION redemption_view(p_id uuid)
RETURNS redemption_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_row redemption_row;
BEGIN
    SELECT 'ok', r.id, r.program_id, r.code, r.referrer_id, r.referee_id, r.order_id,
           r.status, r.currency, r.referrer_reward, r.referee_reward, r.referrer_shortfall,
           r.referee_shortfall, r.qualifying_order_id, r.order_amount, r.reversal_reason,
           r.created_at, r.qualified_at, r.reversed_at, r.kind, r.discount, r.click_id, r.qualify_by,
           r.available_at, r.expired_at
    INTO v_row
    FROM redemptions r
    WHERE r.id = p_id;
    RETURN v_row;
END;
$$;
