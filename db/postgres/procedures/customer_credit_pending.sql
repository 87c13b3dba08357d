-- Adds pending credit to a customer's account, opening the account on first use; returns its id.
-- One statement: the upsert takes the row lock, so no read-then-write race.
CREATE OR REPLACE FUNCTION customer_credit_pending(p_customer_id varchar, p_currency char, p_amount bigint)
RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO accounts AS a (kind, owner_id, currency, credits_pending, created_at)
    VALUES ('customer', p_customer_id, p_currency, p_amount, now())
    ON CONFLICT (kind, owner_id, currency)
    DO UPDATE SET credits_pending = a.credits_pending + EXCLUDED.credits_pending
    RETURNING a.id;
$$;
