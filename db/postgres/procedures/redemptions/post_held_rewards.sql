-- Job: posts the rewards of held redemptions whose hold has ended (available_at <= p_now), oldest first, up to
-- p_batch_size of them, in this one transaction: each leg exactly as qualify_redemption posts it (the pending credit
-- posts, becomes a credit lot expiring p_now + credit_expiry_days, then pays what its customer owes), its credit_holds
-- row goes, and the redemption is 'rewarded'. Answers one job_row: how many it posted, and the due time of the oldest
-- held redemption still due after it.
-- Several runners at once: each claims its redemptions through the due index with SKIP LOCKED, so no two take the
-- same one and none waits for another; the claim re-checks the status on the locked row (a reversal may have won it).
-- Locks, in order: the claimed redemption rows, then all their customers' accounts by owner id (one order for the
-- whole batch, as two redemptions' legs can share a customer), each customer's receivable after its account.
CREATE OR REPLACE FUNCTION post_held_rewards(p_now timestamptz, p_batch_size integer)
RETURNS SETOF job_row
LANGUAGE plpgsql AS $$
DECLARE
    v_ids uuid[];
    v_leg record;
    v_available bigint;
    v_result job_row;
BEGIN
    -- Claim and move on in one statement: the oldest due first, skipping rows another runner (or a reversal) holds;
    -- the update re-checks the status of each locked row.
    WITH due AS (
        SELECT r.id
        FROM redemptions r
        WHERE r.status = 'held' AND r.available_at <= p_now
        ORDER BY r.available_at
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED
    ), moved AS (
        UPDATE redemptions r SET status = 'rewarded'
        FROM due
        WHERE r.id = due.id AND r.status = 'held'
        RETURNING r.id
    )
    SELECT COALESCE(array_agg(m.id), '{}') INTO v_ids FROM moved m;
    v_result.done := cardinality(v_ids);

    IF v_result.done > 0 THEN
        -- Every account the batch posts to, locked in owner id order before any is written.
        PERFORM 1 FROM accounts a
        WHERE a.id IN (SELECT t.credit_account_id FROM transfers t WHERE t.redemption_id = ANY (v_ids) AND t.phase = 'pending')
        ORDER BY a.owner_id, a.id
        FOR UPDATE OF a;

        FOR v_leg IN
            SELECT t.id, t.debit_account_id, t.credit_account_id, t.customer_account_id, t.amount, t.currency, t.kind,
                   t.redemption_id, r.program_id, p.credit_expiry_days
            FROM transfers t
            JOIN accounts a ON a.id = t.credit_account_id
            JOIN redemptions r ON r.id = t.redemption_id
            JOIN programs p ON p.id = r.program_id
            WHERE t.redemption_id = ANY (v_ids) AND t.phase = 'pending'
            ORDER BY a.owner_id, a.id, t.id
        LOOP
            UPDATE accounts a
            SET credits_pending = a.credits_pending - v_leg.amount,
                credits_posted = a.credits_posted + v_leg.amount
            WHERE a.id = v_leg.credit_account_id
            RETURNING a.credits_posted - a.debits_posted INTO v_available;
            INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase,
                                   pending_id, kind, redemption_id, created_at)
            VALUES (v_leg.debit_account_id, v_leg.credit_account_id, v_leg.customer_account_id, v_leg.amount,
                    v_leg.currency, 'post', v_leg.id, v_leg.kind, v_leg.redemption_id, p_now);
            DELETE FROM credit_holds h WHERE h.account_id = v_leg.credit_account_id AND h.redemption_id = v_leg.redemption_id;
            PERFORM grant_lot(v_leg.credit_account_id, v_leg.amount, v_leg.program_id, v_leg.redemption_id,
                              p_now + make_interval(days => v_leg.credit_expiry_days), p_now);
            PERFORM settle_receivable(v_leg.credit_account_id, v_available, v_leg.redemption_id, NULL, p_now);
        END LOOP;
    END IF;

    SELECT r.available_at INTO v_result.oldest_due
    FROM redemptions r
    WHERE r.status = 'held' AND r.available_at <= p_now
    ORDER BY r.available_at
    LIMIT 1;
    RETURN NEXT v_result;
END;
$$;
