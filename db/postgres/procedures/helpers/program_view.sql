-- A program as its result row (status 'ok'); all columns NULL when there is none.
-- PL/pgSQL so that its plan is cached for the session (see add_to_account.sql).
CREATE OR REPLACE FUNCTION program_view(p_id uuid)
RETURNS program_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_row program_row;
BEGIN
    SELECT 'ok', p.id, p.name, p.currency, p.referrer_reward, p.referee_reward,
           p.minimum_order_amount, p.max_rewards_per_referrer, p.status, p.created_at, p.updated_at,
           p.kind, p.offer_type, p.offer_percent_off, p.offer_max_discount, p.offer_amount, p.commission_amount,
           p.commission_basis_points, p.commission_max, p.starts_at, p.ends_at, p.max_redemptions_per_code,
           p.max_redemptions_per_customer, p.new_customers_only, p.landing_url, p.ios_app_store_url, p.android_package,
           p.deep_link_template, p.share_text_template, p.hold_days, p.qualify_within_days, p.credit_expiry_days,
           p.budget, p.committed
    INTO v_row
    FROM programs p
    WHERE p.id = p_id;
    RETURN v_row;
END;
$$;
