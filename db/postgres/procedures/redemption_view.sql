CREATE OR REPLACE FUNCTION redemption_view(p_id uuid)
RETURNS redemption_row
LANGUAGE sql STABLE AS $$
    SELECT 'ok'::varchar(40), r.id, r.program_id, r.code, r.referrer_id, r.referee_id, r.order_id,
           r.status, r.currency, r.referrer_reward, r.referee_reward, r.referrer_shortfall,
           r.referee_shortfall, r.qualifying_order_id, r.order_amount, r.reversal_reason,
           r.created_at, r.qualified_at, r.reversed_at
    FROM redemptions r
    WHERE r.id = p_id;
$$;
