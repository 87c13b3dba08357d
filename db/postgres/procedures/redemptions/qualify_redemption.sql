-- The friend's qualifying order posts the redemption's pending legs (a referral's rewards, a partner's commission
-- and credit offer), and records that the customer has ordered (newCustomersOnly). A promo redemption is complete
-- when recorded ('redeemed'): it cannot be qualified (invalid_state).
-- Locks, in order: the redemption row (by the guarded update), then both customers' accounts by owner id,
-- each followed by that customer's receivable, then the customer's ordering_customers key.
CREATE OR REPLACE FUNCTION qualify_redemption(
    p_id uuid, p_order_id varchar, p_order_amount bigint,
    p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF redemption_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_redemption redemptions%ROWTYPE;
    v_leg record;
    v_available bigint;
    v_result redemption_row;
BEGIN
    SELECT i.outcome INTO v_outcome
    FROM idempotency_begin(p_caller_id, p_idempotency_key, 'qualify_redemption', p_request_hash) i;
    IF v_outcome IS NOT NULL THEN
        RETURN NEXT redemption_from_json(v_outcome);
        RETURN;
    END IF;

    <<work>>
    BEGIN
        -- Guarded transition: locks the row and moves it on in one statement, with no separate row
        -- lock to write. Whatever it refuses is explained from the row as it now stands.
        UPDATE redemptions r
        SET status = 'rewarded', qualifying_order_id = p_order_id, order_amount = p_order_amount, qualified_at = now()
        WHERE r.id = p_id AND r.status = 'pending'
          AND p_order_amount >= (SELECT p.minimum_order_amount FROM programs p WHERE p.id = r.program_id)
        RETURNING 'ok', r.id, r.program_id, r.code, r.referrer_id, r.referee_id, r.order_id, r.status, r.currency,
                  r.referrer_reward, r.referee_reward, r.referrer_shortfall, r.referee_shortfall,
                  r.qualifying_order_id, r.order_amount, r.reversal_reason, r.created_at, r.qualified_at, r.reversed_at,
                  r.kind, r.discount, r.click_id
        INTO v_result;
        IF NOT FOUND THEN
            SELECT r.* INTO v_redemption FROM redemptions r WHERE r.id = p_id;
            IF v_redemption.id IS NULL THEN
                v_result.status := 'not_found';
            ELSIF v_redemption.status = 'rewarded' AND v_redemption.qualifying_order_id = p_order_id THEN
                -- The same qualifying order again is a retry: answer with the current state.
                v_result := redemption_view(p_id);
            ELSIF v_redemption.status <> 'pending' THEN
                v_result.status := 'invalid_state';
            ELSE
                v_result.status := 'order_below_minimum';
            END IF;
            EXIT work;
        END IF;

        -- Post both pending rewards, one customer account at a time in owner id order (the order every
        -- procedure locks accounts in); each update takes its row lock itself. Posted credit first pays
        -- what its customer owes, if anything.
        FOR v_leg IN
            SELECT t.id, t.debit_account_id, t.credit_account_id, t.customer_account_id, t.amount, t.currency, t.kind
            FROM transfers t JOIN accounts a ON a.id = t.credit_account_id
            WHERE t.redemption_id = p_id AND t.phase = 'pending'
            ORDER BY a.owner_id
        LOOP
            UPDATE accounts a
            SET credits_pending = a.credits_pending - v_leg.amount,
                credits_posted = a.credits_posted + v_leg.amount
            WHERE a.id = v_leg.credit_account_id
            RETURNING a.credits_posted - a.debits_posted INTO v_available;
            INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase,
                                   pending_id, kind, redemption_id, created_at)
            VALUES (v_leg.debit_account_id, v_leg.credit_account_id, v_leg.customer_account_id, v_leg.amount,
                    v_leg.currency, 'post', v_leg.id, v_leg.kind, p_id, now());
            PERFORM settle_receivable(v_leg.credit_account_id, v_available, p_id, NULL, now());
        END LOOP;

        INSERT INTO ordering_customers (customer_id, first_order_at)
        VALUES (v_result.referee_id, now())
        ON CONFLICT (customer_id) DO NOTHING;
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'qualify_redemption', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
