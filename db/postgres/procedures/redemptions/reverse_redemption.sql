-- Refund, cancelled order or fraud: gives the use back (the code's count where a limit keeps it, the customer's
-- uses of a promo or partner program) and the budget, then voids pending legs (a pending or held redemption; a held
-- one's credit_holds rows go with them), or reverses posted ones (a qualified reward or commission, a promo's credit)
-- with new transfers. A posted leg is clawed back after the customer's expired lots have gone to breakage (expired
-- credit cannot pay it), from the reward's own lot first, then as far as the balance allows; the rest, the shortfall,
-- becomes what the customer owes: a transfer from their receivable account, settled by the next credit they receive.
-- An expired redemption has nothing left to reverse (invalid_state).
-- Locks, in order: the redemption row, the code row, the customer's customer_uses row, the program row (only where the
-- program has a budget), then both customers' accounts by owner id (each customer's account before their receivable).
DROP FUNCTION IF EXISTS reverse_redemption(uuid, varchar, varchar, varchar, char);
CREATE OR REPLACE FUNCTION reverse_redemption(
    p_id uuid, p_reason varchar, p_now timestamptz,
    p_caller_id varchar, p_idempotency_key varchar, p_request_hash char)
RETURNS SETOF redemption_row
LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text;
    v_redemption redemptions%ROWTYPE;
    v_leg record;
    v_available bigint;
    v_clawback bigint;
    v_expired bigint;
    v_owed_back bigint;
    v_referrer_shortfall bigint;
    v_referee_shortfall bigint;
    v_shortfall bigint;
    v_receivable bigint;
    v_result redemption_row;
BEGIN
    SELECT i.outcome INTO v_outcome
    FROM idempotency_begin(p_caller_id, p_idempotency_key, 'reverse_redemption', p_request_hash) i;
    IF v_outcome IS NOT NULL THEN
        RETURN NEXT redemption_from_json(v_outcome);
        RETURN;
    END IF;

    <<work>>
    BEGIN
        SELECT r.* INTO v_redemption FROM redemptions r WHERE r.id = p_id FOR UPDATE;
        IF v_redemption.id IS NULL THEN
            v_result.status := 'not_found';
            EXIT work;
        END IF;
        IF v_redemption.status IN ('reversed', 'expired') THEN
            v_result.status := 'invalid_state';
            EXIT work;
        END IF;

        -- A reversed redemption no longer counts against the referrer's cap or the code's limit: reward_count is
        -- kept for referral codes and for codes with a limit (whoever sets a limit recounts it, code row locked).
        -- A use committed while a first limit was being set is not counted (recount_code_uses), so the count is
        -- never taken below zero.
        UPDATE referral_codes c SET reward_count = c.reward_count - 1
        FROM programs p
        WHERE c.code = v_redemption.code AND p.id = c.program_id AND c.reward_count > 0
          AND (v_redemption.kind = 'referral' OR COALESCE(c.max_redemptions, p.max_redemptions_per_code) IS NOT NULL);
        IF v_redemption.kind <> 'referral' THEN
            UPDATE customer_uses u SET uses = u.uses - 1
            WHERE u.program_id = v_redemption.program_id AND u.customer_id = v_redemption.referee_id;
        END IF;
        -- What the redemption committed of the program's budget is free again. A program without a budget is only
        -- read here: the update finds no row to lock.
        UPDATE programs p
        SET committed = p.committed - (v_redemption.referrer_reward + v_redemption.referee_reward + v_redemption.discount)
        WHERE p.id = v_redemption.program_id AND p.budget IS NOT NULL;

        -- The legs: pending ones (found by the pending-transfer index), and a promo's credit, posted at redemption
        -- (found through the customer's account: posted transfers are not indexed by redemption).
        FOR v_leg IN
            SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.currency, t.kind, a.owner_id
            FROM transfers t JOIN accounts a ON a.id = t.credit_account_id
            WHERE t.redemption_id = p_id AND t.phase = 'pending'
            UNION ALL
            SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.currency, t.kind, a.owner_id
            FROM transfers t JOIN accounts a ON a.id = t.customer_account_id
            WHERE v_redemption.kind = 'promo' AND t.redemption_id = p_id AND t.kind = 'promo_credit'
            ORDER BY owner_id
        LOOP
            IF v_redemption.status IN ('pending', 'held') THEN
                UPDATE accounts a SET credits_pending = a.credits_pending - v_leg.amount
                WHERE a.id = v_leg.credit_account_id;
                INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency,
                                       phase, pending_id, kind, redemption_id, created_at)
                VALUES (v_leg.debit_account_id, v_leg.credit_account_id, v_leg.credit_account_id, v_leg.amount,
                        v_leg.currency, 'void', v_leg.id, v_leg.kind, p_id, p_now);
                IF v_redemption.status = 'held' THEN
                    DELETE FROM credit_holds h WHERE h.account_id = v_leg.credit_account_id AND h.redemption_id = p_id;
                END IF;
            ELSE
                -- Row lock until commit: the balance, after expiry, decides the clawback.
                PERFORM 1 FROM accounts a WHERE a.id = v_leg.credit_account_id FOR UPDATE;
                PERFORM expire_account_lots(v_leg.credit_account_id, p_now);
                SELECT a.credits_posted - a.debits_posted INTO v_available FROM accounts a WHERE a.id = v_leg.credit_account_id;
                -- What of the reward expired went to breakage and never served the customer: it is not taken back
                -- again. The rest (what is left of its lot, what they spent of it) is.
                SELECT COALESCE(-SUM(m.amount), 0) INTO v_expired
                FROM credit_lots l JOIN lot_movements m ON m.lot_id = l.id AND m.kind = 'expiry'
                WHERE l.redemption_id = p_id AND l.account_id = v_leg.credit_account_id;
                v_owed_back := v_leg.amount - LEAST(v_expired, v_leg.amount);
                v_clawback := LEAST(v_owed_back, v_available);
                IF v_clawback > 0 THEN
                    UPDATE accounts a SET debits_posted = a.debits_posted + v_clawback
                    WHERE a.id = v_leg.credit_account_id;
                    INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency,
                                           phase, kind, redemption_id, created_at)
                    VALUES (v_leg.credit_account_id, v_leg.debit_account_id, v_leg.credit_account_id, v_clawback,
                            v_leg.currency, 'posted', 'reward_reversal', p_id, p_now);
                    PERFORM take_from_lots(v_leg.credit_account_id, v_clawback, 'reversal', p_id, NULL, p_now);
                END IF;
                v_shortfall := v_owed_back - v_clawback;
                IF v_shortfall > 0 THEN
                    v_receivable := add_to_account('receivable', v_leg.owner_id, v_leg.currency, 0, v_shortfall);
                    INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency,
                                           phase, kind, redemption_id, created_at)
                    VALUES (v_receivable, v_leg.debit_account_id, v_receivable, v_shortfall,
                            v_leg.currency, 'posted', 'reward_shortfall', p_id, p_now);
                END IF;
                IF v_leg.kind IN ('referrer_reward', 'commission') THEN
                    v_referrer_shortfall := v_shortfall;
                ELSE
                    v_referee_shortfall := v_shortfall;
                END IF;
            END IF;
        END LOOP;

        UPDATE redemptions r
        SET status = 'reversed', reversal_reason = p_reason, reversed_at = p_now,
            referrer_shortfall = v_referrer_shortfall, referee_shortfall = v_referee_shortfall
        WHERE r.id = p_id;
        v_result := redemption_view(p_id);
    END work;

    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_finish(p_caller_id, p_idempotency_key, 'reverse_redemption', p_request_hash, to_jsonb(v_result)::text);
    END IF;
    RETURN NEXT v_result;
END;
$$;
