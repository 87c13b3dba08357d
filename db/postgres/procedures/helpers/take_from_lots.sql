-- Takes p_amount from a customer account's live lots, right after a posted debit of that amount (a spend, a
-- settlement of what is owed, a reversed reward; expiry has expire_account_lots): soonest expiry first, lots
-- without expiry last, ties by id; a reversal ('reversal') takes from the lots of its own reward (p_redemption_id)
-- first. One lot_movements row per lot touched. Raises when the lots cannot cover it: they always add up to the
-- account's posted balance (ledger_check), so that is a bug, never a refusal.
-- The caller holds the account's row lock, under which every change to its lots happens: the lots need no lock
-- of their own, and this statement's snapshot, taken after that lock, sees every earlier change.
CREATE OR REPLACE FUNCTION take_from_lots(
    p_account_id bigint, p_amount bigint, p_kind varchar, p_redemption_id uuid, p_spend_id uuid, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_taken bigint;
BEGIN
    IF p_amount <= 0 THEN
        RETURN;
    END IF;
    -- The common case (a spend or settlement the first lot in taking order covers): that one lot, read first in the
    -- order of credit_lots_account_ix (ascending puts NULL expiry last), without a window over every live lot.
    IF p_kind <> 'reversal' THEN
        WITH first AS (
            SELECT l.id, l.remaining FROM credit_lots l
            WHERE l.account_id = p_account_id AND l.remaining > 0
            ORDER BY l.expires_at, l.id
            LIMIT 1
        ), taken AS (
            UPDATE credit_lots l SET remaining = l.remaining - p_amount
            FROM first
            WHERE l.id = first.id AND first.remaining >= p_amount
            RETURNING l.id
        )
        INSERT INTO lot_movements (lot_id, kind, amount, spend_id, redemption_id, created_at)
        SELECT t.id, p_kind, -p_amount, p_spend_id, p_redemption_id, p_now FROM taken t;
        IF FOUND THEN
            RETURN;
        END IF;
    END IF;
    -- Each lot, in taking order, gives what the lots before it left of p_amount (before: their running total).
    WITH live AS (
        SELECT l.id, l.remaining,
               SUM(l.remaining) OVER (
                   ORDER BY CASE WHEN p_kind = 'reversal' AND l.redemption_id = p_redemption_id THEN 0 ELSE 1 END,
                            l.expires_at NULLS LAST, l.id) - l.remaining AS before
        FROM credit_lots l
        WHERE l.account_id = p_account_id AND l.remaining > 0
    ), taken AS (
        UPDATE credit_lots l SET remaining = l.remaining - LEAST(live.remaining, p_amount - live.before)
        FROM live
        WHERE l.id = live.id AND live.before < p_amount
        RETURNING l.id, LEAST(live.remaining, p_amount - live.before) AS amount
    ), moved AS (
        INSERT INTO lot_movements (lot_id, kind, amount, spend_id, redemption_id, created_at)
        SELECT t.id, p_kind, -t.amount, p_spend_id, p_redemption_id, p_now FROM taken t
        RETURNING -amount AS amount
    )
    SELECT COALESCE(SUM(m.amount), 0) INTO v_taken FROM moved m;
    IF v_taken <> p_amount THEN
        RAISE EXCEPTION 'take_from_lots: the lots of account % hold % of the % to take (%)', p_account_id, v_taken,
            p_amount, p_kind;
    END IF;
END;
$$;
