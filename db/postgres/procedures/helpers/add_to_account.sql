-- Adds to a customer-owned account, opening it on first use, and returns its id: pending credit to a
-- customer's credit account (kind 'customer'), or what a customer owes to their receivable (kind
-- 'receivable', debits). One statement: the upsert takes the row lock, so no read-then-write race.
-- PL/pgSQL, not LANGUAGE sql: PostgreSQL (before 18) plans a non-inlined SQL function's body again on
-- every call, while PL/pgSQL keeps the plan for the session (BENCHMARKS.md: +40% direct redeem()).
CREATE OR REPLACE FUNCTION add_to_account(
    p_kind varchar, p_owner_id varchar, p_currency char, p_credits_pending bigint, p_debits_posted bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO accounts AS a (kind, owner_id, currency, credits_pending, debits_posted, created_at)
    VALUES (p_kind, p_owner_id, p_currency, p_credits_pending, p_debits_posted, now())
    ON CONFLICT (kind, owner_id, currency)
    DO UPDATE SET credits_pending = a.credits_pending + EXCLUDED.credits_pending,
                  debits_posted = a.debits_posted + EXCLUDED.debits_posted
    RETURNING a.id INTO v_id;
    RETURN v_id;
END;
$$;
