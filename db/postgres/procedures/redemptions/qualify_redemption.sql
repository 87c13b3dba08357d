-- The friend's qualifying order posts the redemption's pending legs (a referral's rewards, a partner's commission
-- and credit offer), and records that the customer has ordered (newCustomersOnly). A promo redemption is complete
-- when recorded ('redeemed'): it cannot be qualified (invalid_state). Where the program has a hold (hold_days), the
-- legs stay pending and the redemption is 'held' until p_now + hold_days: one credit_holds row per leg says when,
-- and the job runner's post_held_rewards posts them then. Where it has a deadline, an order at or after qualify_by,
-- or for a redemption the runner has expired, is qualification_window_closed. Posted credit becomes a credit lot
-- (expiring p_now + credit_expiry_days, or never), then first pays what its customer owes.
-- Locks, in order: the redemption row (by the guarded update), then both customers' accounts by owner id,
-- each followed by that customer's receivable, then the customer's ordering_customers key.
DROP FUNCTION IF EXISTS qualify_redemption(uuid, varchar, bigint, varchar, varchar, char);
CREATE OR REPLACE FUNCTION qualify_redemption(
    p_id uuid, p_order_id varchar, p_order_amount bigint, p_now timestamptz,
    p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF redemption_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_redemption redemptions%ROWTYPE;
    v_leg record;
    v_available bigint;
    v_expiry_days integer;
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
        -- lock to write (the program row is only read). Whatever it refuses is explained from the row as it now stands.
        UPDATE redemptions r
        SET status = CASE WHEN p.hold_days IS NULL THEN 'rewarded' ELSE 'held' END,
            available_at = p_now + make_interval(days => p.hold_days),
            qualifying_order_id = p_order_id, order_amount = p_order_amount, qualified_at = p_now
        FROM programs p
        WHERE r.id = p_id AND r.status = 'pending' AND p.id = r.program_id
          AND p_order_amount >= p.minimum_order_amount
          AND (r.qualify_by IS NULL OR p_now < r.qualify_by)
        RETURNING 'ok', r.id, r.program_id, r.code, r.referrer_id, r.referee_id, r.order_id, r.status, r.currency,
                  r.referrer_reward, r.referee_reward, r.referrer_shortfall, r.referee_shortfall,
                  r.qualifying_order_id, r.order_amount, r.reversal_reason, r.created_at, r.qualified_at, r.reversed_at,
                  r.kind, r.discount, r.click_id, r.qualify_by, r.available_at, r.expired_at
        INTO v_result;
        IF NOT FOUND THEN
            SELECT r.* INTO v_redemption FROM redemptions r WHERE r.id = p_id;
            IF v_redemption.id IS NULL THEN
                v_result.status := 'not_found';
            ELSIF v_redemption.status IN ('rewarded', 'held') AND v_redemption.qualifying_order_id = p_order_id THEN
                -- The same qualifying order again is a retry: answer with the current state.
                v_result := redemption_view(p_id);
            ELSIF v_redemption.status = 'expired'
                  OR (v_redemption.status = 'pending' AND p_now >= v_redemption.qualify_by) THEN
                -- Late, whether or not the job runner has expired it yet.
                v_result.status := 'qualification_window_closed';
            ELSIF v_redemption.status <> 'pending' THEN
                v_result.status := 'invalid_state';
            ELSE
                v_result.status := 'order_below_minimum';
            END IF;
            EXIT work;
        END IF;

        IF v_result.redemption_status = 'held' THEN
            -- The legs stay pending; each customer's balance shows them as pending until available_at. No account
            -- row is written, so none is locked.
            INSERT INTO credit_holds (account_id, redemption_id, amount, available_at)
            SELECT t.credit_account_id, p_id, t.amount, v_result.available_at
            FROM transfers t
            WHERE t.redemption_id = p_id AND t.phase = 'pending';
        ELSE
            SELECT p.credit_expiry_days INTO v_expiry_days FROM programs p WHERE p.id = v_result.program_id;
            -- Post both pending rewards, one customer account at a time in owner id order (the order every
            -- procedure locks accounts in); each update takes its row lock itself. Posted credit becomes a lot,
            -- then first pays what its customer owes, if anything.
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
                        v_leg.currency, 'post', v_leg.id, v_leg.kind, p_id, p_now);
                PERFORM grant_lot(v_leg.credit_account_id, v_leg.amount, v_result.program_id, p_id,
                                  p_now + make_interval(days => v_expiry_days), p_now);
                PERFORM settle_receivable(v_leg.credit_account_id, v_available, p_id, NULL, p_now);
            END LOOP;
        END IF;

        INSERT INTO ordering_customers (customer_id, first_order_at)
        VALUES (v_result.referee_id, p_now)
        ON CONFLICT (customer_id) DO NOTHING;
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'qualify_redemption', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
