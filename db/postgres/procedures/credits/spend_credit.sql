-- Spends posted credit at checkout. Never overdraws: the debit is a guarded single-statement
-- update on the customer's account row. One spend per order per customer (natural key).
-- status 'existing': this order already has this very spend (a retry without a key).
-- Expired credit is never spent: under the account's row lock, its lots due at p_now expire (to breakage)
-- before the debit counts (a debit that finds due lots is undone and redone after their expiry), which then
-- takes from the lots, soonest expiry first (take_from_lots).
-- Locks, in order: the customer's account (the guarded debit takes it), then the new (customer, order) key.
DROP FUNCTION IF EXISTS spend_credit(uuid, varchar, bigint, char, varchar, varchar, varchar, char);
CREATE OR REPLACE FUNCTION spend_credit(
    p_id uuid, p_customer_id varchar, p_amount bigint, p_currency char, p_order_id varchar, p_now timestamptz,
    p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF spend_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_account bigint;
    v_balance bigint;
    v_existing spends%ROWTYPE;
    v_result spend_row;
BEGIN
    SELECT i.outcome INTO v_outcome
    FROM idempotency_begin(p_caller_id, p_idempotency_key, 'spend_credit', p_request_hash) i;
    IF v_outcome IS NOT NULL THEN
        RETURN NEXT spend_from_json(v_outcome);
        RETURN;
    END IF;

    <<work>>
    BEGIN
        -- Twice at most: a concurrent spend for the same order can win between our look and our insert.
        LOOP
            SELECT s.* INTO v_existing FROM spends s WHERE s.customer_id = p_customer_id AND s.order_id = p_order_id;
            IF v_existing.id IS NOT NULL THEN
                IF v_existing.amount = p_amount AND v_existing.currency = p_currency THEN
                    v_result := spend_view(v_existing.id);
                    v_result.status := 'existing';
                ELSE
                    v_result.status := 'duplicate_order';
                END IF;
                EXIT work;
            END IF;

            -- Guarded debit first: race-free, never below zero, and it takes the account's row lock. Lots are
            -- only due now and then: when the account has some (one probe of credit_lots_account_ix, under the
            -- lock), the debit is undone, they expire, and the guarded debit runs again on what is left.
            UPDATE accounts a SET debits_posted = a.debits_posted + p_amount
            WHERE a.kind = 'customer' AND a.owner_id = p_customer_id AND a.currency = p_currency
              AND a.credits_posted - a.debits_posted >= p_amount
            RETURNING a.id, a.credits_posted - a.debits_posted INTO v_account, v_balance;
            IF v_account IS NOT NULL THEN
                IF EXISTS (SELECT 1 FROM credit_lots l
                           WHERE l.account_id = v_account AND l.remaining > 0 AND l.expires_at <= p_now) THEN
                    UPDATE accounts a SET debits_posted = a.debits_posted - p_amount WHERE a.id = v_account;
                    PERFORM expire_account_lots(v_account, p_now);
                    UPDATE accounts a SET debits_posted = a.debits_posted + p_amount
                    WHERE a.id = v_account AND a.credits_posted - a.debits_posted >= p_amount
                    RETURNING a.id, a.credits_posted - a.debits_posted INTO v_account, v_balance;
                END IF;
            ELSE
                -- Refused: its due lots still expire, as before any debit.
                SELECT a.id INTO v_account FROM accounts a
                WHERE a.kind = 'customer' AND a.owner_id = p_customer_id AND a.currency = p_currency
                FOR UPDATE;
                IF v_account IS NOT NULL THEN
                    PERFORM expire_account_lots(v_account, p_now);
                    v_account := NULL;
                END IF;
            END IF;
            IF v_account IS NULL THEN
                IF NOT EXISTS (SELECT 1 FROM accounts a WHERE a.kind = 'customer' AND a.owner_id = p_customer_id AND a.currency = p_currency)
                   AND EXISTS (SELECT 1 FROM accounts a WHERE a.kind = 'customer' AND a.owner_id = p_customer_id) THEN
                    v_result.status := 'currency_mismatch';
                ELSE
                    v_result.status := 'insufficient_credit';
                END IF;
                EXIT work;
            END IF;

            INSERT INTO spends (id, customer_id, order_id, amount, currency, status, balance_after, created_at)
            VALUES (p_id, p_customer_id, p_order_id, p_amount, p_currency, 'spent', v_balance, p_now)
            ON CONFLICT (customer_id, order_id) DO NOTHING
            RETURNING 'ok', id, customer_id, order_id, amount, currency, status, balance_after, created_at, reversed_at
            INTO v_result;
            EXIT WHEN FOUND;
            -- The concurrent spend committed first (the insert waited for it): undo our debit, and the
            -- next look answers as for a retry.
            UPDATE accounts a SET debits_posted = a.debits_posted - p_amount WHERE a.id = v_account;
            v_account := NULL;
        END LOOP;

        INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                               spend_id, created_at)
        VALUES (v_account, system_account('spent', '', p_currency), v_account, p_amount, p_currency, 'posted', 'spend',
                p_id, p_now);
        PERFORM take_from_lots(v_account, p_amount, 'spend', NULL, p_id, p_now);
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'spend_credit', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
