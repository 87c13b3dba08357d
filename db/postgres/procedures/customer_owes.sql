-- Records that a customer owes p_amount in a currency (the shortfall of a reversal): debits their
-- receivable account, opening it on first use, and returns its id. One statement: the upsert takes the
-- row lock, so no read-then-write race. Called after the customer's own account is locked (the order
-- every procedure uses: a customer's account, then their receivable).
CREATE OR REPLACE FUNCTION customer_owes(p_customer_id varchar, p_currency char, p_amount bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO accounts AS a (kind, owner_id, currency, debits_posted, created_at)
    VALUES ('receivable', p_customer_id, p_currency, p_amount, now())
    ON CONFLICT (kind, owner_id, currency)
    DO UPDATE SET debits_posted = a.debits_posted + EXCLUDED.debits_posted
    RETURNING a.id INTO v_id;
    RETURN v_id;
END;
$$;
