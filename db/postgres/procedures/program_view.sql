CREATE OR REPLACE FUNCTION program_view(p_id uuid)
RETURNS program_row
LANGUAGE sql STABLE AS $$
    SELECT 'ok'::varchar(40), p.id, p.name, p.currency, p.referrer_reward, p.referee_reward,
           p.minimum_order_amount, p.max_rewards_per_referrer, p.status, p.created_at, p.updated_at
    FROM programs p
    WHERE p.id = p_id;
$$;
