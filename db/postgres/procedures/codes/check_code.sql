-- The dry run of redeem: would this code work for this customer and order right now, and what would it give?
-- The same checks in the same order, and the same arithmetic (offer_value), on what the caller knows: without a
-- customer, the checks that need one are left out; without an order amount, order_required and the minimum are
-- left out and discount is NULL. Reads only, one statement; takes no locks and writes nothing.
-- reason is NULL when the code would be accepted; credit is what the redeemer's credit would be. budget_exhausted:
-- the program's remaining budget (budget - committed) is below what this redemption would commit (referrer reward or
-- commission, credit and discount); where that needs the order amount and there is none, the check is left out.
-- Time is p_now, the service's clock, as in redeem.
DROP FUNCTION IF EXISTS check_code(varchar, varchar);
DROP FUNCTION IF EXISTS check_code(varchar, varchar, bigint, char, integer);
CREATE OR REPLACE FUNCTION check_code(
    p_code varchar, p_customer_id varchar, p_order_amount bigint, p_currency char, p_customer_order_count integer,
    p_now timestamptz)
RETURNS SETOF code_check_row
LANGUAGE sql STABLE AS $$
    SELECT (CASE WHEN c.code IS NULL THEN 'code_not_found' ELSE 'ok' END)::varchar(40),
           c.code, p.id, c.owner_id,
           (CASE
                WHEN c.code IS NULL THEN NULL
                WHEN c.status <> 'active' THEN 'code_disabled'
                WHEN c.expires_at <= p_now THEN 'code_expired'
                WHEN p.status = 'paused' THEN 'code_inactive'
                WHEN p.status = 'ended' OR p.ends_at <= p_now THEN 'program_ended'
                WHEN p.starts_at > p_now THEN 'program_not_started'
                WHEN p_currency <> p.currency THEN 'currency_mismatch'
                WHEN (p.kind <> 'referral' OR p.offer_type IS NOT NULL)
                     AND p_order_amount < p.minimum_order_amount THEN 'order_below_minimum'
                WHEN p_customer_id = c.owner_id THEN 'self_referral'
                WHEN p.new_customers_only AND (p_customer_order_count > 0 OR EXISTS (
                         SELECT 1 FROM ordering_customers o WHERE o.customer_id = p_customer_id)) THEN 'not_new_customer'
                WHEN p.kind <> 'referral' AND EXISTS (
                         SELECT 1 FROM customer_uses u
                         WHERE u.program_id = p.id AND u.customer_id = p_customer_id
                           AND u.uses >= p.max_redemptions_per_customer) THEN 'customer_limit_reached'
                WHEN c.reward_count >= COALESCE(c.max_redemptions, p.max_redemptions_per_code) THEN 'code_exhausted'
                WHEN p.kind = 'referral' AND c.reward_count >= p.max_rewards_per_referrer THEN 'referrer_cap_reached'
                WHEN p.budget - p.committed <
                         CASE WHEN p.kind = 'referral' THEN p.referrer_reward
                              WHEN p.kind = 'promo' THEN 0
                              WHEN p.commission_basis_points IS NOT NULL
                                  THEN offer_value(p_order_amount, p.commission_basis_points, p.commission_max, NULL)
                              ELSE p.commission_amount END
                         + CASE WHEN p.kind = 'referral' THEN p.referee_reward
                                WHEN p.offer_type = 'credit' THEN p.offer_amount ELSE 0 END
                         + CASE WHEN p.offer_type = 'discount'
                                THEN offer_value(p_order_amount, p.offer_percent_off, p.offer_max_discount, p.offer_amount)
                                ELSE 0 END THEN 'budget_exhausted'
                WHEN p.kind = 'referral' AND EXISTS (
                         SELECT 1 FROM redemptions r
                         WHERE r.program_id = p.id AND r.referee_id = p_customer_id AND r.kind = 'referral')
                    THEN 'already_referred'
            END)::varchar(40),
           p.kind,
           CASE WHEN c.code IS NULL THEN NULL
                WHEN p.offer_type = 'discount'
                    THEN offer_value(p_order_amount, p.offer_percent_off, p.offer_max_discount, p.offer_amount)
                ELSE 0 END,
           CASE WHEN c.code IS NULL THEN NULL
                WHEN p.kind = 'referral' THEN p.referee_reward WHEN p.offer_type = 'credit' THEN p.offer_amount ELSE 0 END
    FROM (SELECT 1) AS one
    LEFT JOIN referral_codes c ON c.code = p_code
    LEFT JOIN programs p ON p.id = c.program_id;
$$;
