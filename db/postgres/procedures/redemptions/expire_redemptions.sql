-- Job: expires pending redemptions not qualified by their deadline (qualify_by <= p_now), oldest first, up to
-- p_batch_size of them, in this one transaction: status 'expired' (expired_at p_now), their pending legs voided, the
-- use given back exactly as reverse_redemption gives it (the code's count where a limit keeps it, the customer's uses
-- of a partner program), and what they committed of their program's budget released. Answers one job_row: how many
-- it expired, and the deadline of the oldest pending redemption still due after it.
-- Several runners at once: each claims its redemptions through the due index with SKIP LOCKED, so no two take the
-- same one and none waits for another; the claim re-checks the status on the locked row (a qualify may have won it).
-- Locks, in the order every procedure takes them, each kind for the whole batch before the next: the claimed
-- redemption rows, the code rows (by code), the customer_uses rows (by program, customer), the program rows of
-- programs with a budget (by id), then the customers' accounts by owner id.
CREATE OR REPLACE FUNCTION expire_redemptions(p_now timestamptz, p_batch_size integer)
RETURNS SETOF job_row
LANGUAGE plpgsql AS $$
DECLARE
    v_ids uuid[];
    v_item record;
    v_result job_row;
BEGIN
    -- Claim and move on in one statement: the oldest deadline first, skipping rows another runner (or a qualify or
    -- reversal) holds; the update re-checks the status of each locked row.
    WITH due AS (
        SELECT r.id
        FROM redemptions r
        WHERE r.status = 'pending' AND r.qualify_by IS NOT NULL AND r.qualify_by <= p_now
        ORDER BY r.qualify_by
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED
    ), moved AS (
        UPDATE redemptions r SET status = 'expired', expired_at = p_now
        FROM due
        WHERE r.id = due.id AND r.status = 'pending'
        RETURNING r.id
    )
    SELECT COALESCE(array_agg(m.id), '{}') INTO v_ids FROM moved m;
    v_result.done := cardinality(v_ids);

    IF v_result.done > 0 THEN
        -- The uses back, one code at a time in code order: reward_count is kept for referral codes and for codes
        -- with a limit (see reverse_redemption), and never taken below zero.
        FOR v_item IN
            SELECT r.code, r.kind, count(*) AS uses
            FROM redemptions r WHERE r.id = ANY (v_ids)
            GROUP BY r.code, r.kind
            ORDER BY r.code
        LOOP
            UPDATE referral_codes c SET reward_count = GREATEST(c.reward_count - v_item.uses, 0)
            FROM programs p
            WHERE c.code = v_item.code AND p.id = c.program_id AND c.reward_count > 0
              AND (v_item.kind = 'referral' OR COALESCE(c.max_redemptions, p.max_redemptions_per_code) IS NOT NULL);
        END LOOP;
        FOR v_item IN
            SELECT r.program_id, r.referee_id, count(*) AS uses
            FROM redemptions r WHERE r.id = ANY (v_ids) AND r.kind <> 'referral'
            GROUP BY r.program_id, r.referee_id
            ORDER BY r.program_id, r.referee_id
        LOOP
            UPDATE customer_uses u SET uses = u.uses - v_item.uses
            WHERE u.program_id = v_item.program_id AND u.customer_id = v_item.referee_id;
        END LOOP;
        -- The budget back; a program without one is only read (the update finds no row to lock).
        FOR v_item IN
            SELECT r.program_id, sum(r.referrer_reward + r.referee_reward + r.discount) AS amount
            FROM redemptions r WHERE r.id = ANY (v_ids)
            GROUP BY r.program_id
            ORDER BY r.program_id
        LOOP
            UPDATE programs p SET committed = p.committed - v_item.amount
            WHERE p.id = v_item.program_id AND p.budget IS NOT NULL;
        END LOOP;

        -- Void the pending legs: every account the batch touches, locked in owner id order before any is written.
        PERFORM 1 FROM accounts a
        WHERE a.id IN (SELECT t.credit_account_id FROM transfers t WHERE t.redemption_id = ANY (v_ids) AND t.phase = 'pending')
        ORDER BY a.owner_id, a.id
        FOR UPDATE OF a;
        UPDATE accounts a SET credits_pending = a.credits_pending - x.amount
        FROM (SELECT t.credit_account_id, sum(t.amount) AS amount
              FROM transfers t
              WHERE t.redemption_id = ANY (v_ids) AND t.phase = 'pending'
              GROUP BY t.credit_account_id) x
        WHERE a.id = x.credit_account_id;
        INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase,
                               pending_id, kind, redemption_id, created_at)
        SELECT t.debit_account_id, t.credit_account_id, t.customer_account_id, t.amount, t.currency, 'void', t.id,
               t.kind, t.redemption_id, p_now
        FROM transfers t
        WHERE t.redemption_id = ANY (v_ids) AND t.phase = 'pending'
        ORDER BY t.id;
    END IF;

    SELECT r.qualify_by INTO v_result.oldest_due
    FROM redemptions r
    WHERE r.status = 'pending' AND r.qualify_by IS NOT NULL AND r.qualify_by <= p_now
    ORDER BY r.qualify_by
    LIMIT 1;
    RETURN NEXT v_result;
END;
$$;
