-- A customer's credit, one row per currency: available (posted, less lots already due at p_now that the job runner
-- has not expired yet: they can no longer be spent), pending (held rewards included), owed, availableAt (when the
-- earliest held credit posts) and the next expiry (the lots expiring soonest after p_now, and when).
DROP FUNCTION IF EXISTS get_balances(varchar);
CREATE OR REPLACE FUNCTION get_balances(p_customer_id varchar, p_now timestamptz)
RETURNS SETOF balance_row
LANGUAGE sql STABLE AS $$
    SELECT a.currency, a.credits_posted - a.debits_posted - COALESCE(due.amount, 0), a.credits_pending - a.debits_pending,
           COALESCE(r.debits_posted - r.credits_posted, 0), held.available_at, next.amount, next.expires_at
    FROM accounts a
    LEFT JOIN accounts r ON r.kind = 'receivable' AND r.owner_id = a.owner_id AND r.currency = a.currency
    LEFT JOIN LATERAL (
        SELECT SUM(l.remaining) AS amount FROM credit_lots l
        WHERE l.account_id = a.id AND l.remaining > 0 AND l.expires_at <= p_now
    ) due ON true
    LEFT JOIN LATERAL (
        SELECT MIN(h.available_at) AS available_at FROM credit_holds h WHERE h.account_id = a.id
    ) held ON true
    LEFT JOIN LATERAL (
        SELECT l.expires_at, SUM(l.remaining) AS amount FROM credit_lots l
        WHERE l.account_id = a.id AND l.remaining > 0 AND l.expires_at > p_now
        GROUP BY l.expires_at
        ORDER BY l.expires_at
        LIMIT 1
    ) next ON true
    WHERE a.kind = 'customer' AND a.owner_id = p_customer_id
    ORDER BY a.currency;
$$;
