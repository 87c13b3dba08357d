-- Would this code work for this customer right now? One read-only statement; takes no locks.
CREATE OR REPLACE FUNCTION check_code(p_code varchar, p_customer_id varchar)
RETURNS SETOF code_check_row
LANGUAGE sql STABLE AS $$
    SELECT (CASE WHEN c.code IS NULL THEN 'code_not_found' ELSE 'ok' END)::varchar(40),
           c.code, p.id, c.owner_id,
           (CASE
                WHEN c.code IS NULL THEN NULL
                WHEN p.status <> 'active' THEN 'code_inactive'
                WHEN p_customer_id = c.owner_id THEN 'self_referral'
                WHEN p_customer_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM redemptions r WHERE r.program_id = p.id AND r.referee_id = p_customer_id)
                    THEN 'already_referred'
                WHEN c.reward_count >= p.max_rewards_per_referrer THEN 'referrer_cap_reached'
            END)::varchar(40),
           NULL::varchar(10), NULL::bigint, NULL::bigint
    FROM (SELECT 1) AS one
    LEFT JOIN referral_codes c ON c.code = p_code
    LEFT JOIN programs p ON p.id = c.program_id;
$$;
