-- A customer's statement, newest first, keyset-paginated on the transfer id (never OFFSET).
-- Amounts are signed from the customer's side: credits positive, debits negative. The customer's
-- receivable is on the statement too: a reward_shortfall there (negative) is what they came to owe.
CREATE OR REPLACE FUNCTION list_transactions(p_customer_id varchar, p_starting_after bigint, p_page_size integer)
RETURNS SETOF transaction_row
LANGUAGE sql STABLE AS $$
    SELECT x.id, x.kind, x.phase, x.amount, x.currency, x.redemption_id, x.spend_id, x.created_at
    FROM accounts a
    CROSS JOIN LATERAL (
        SELECT t.id, t.kind, t.phase,
               CASE WHEN t.credit_account_id = a.id THEN t.amount ELSE -t.amount END AS amount,
               t.currency, t.redemption_id, t.spend_id, t.created_at
        FROM transfers t
        WHERE t.customer_account_id = a.id AND (p_starting_after IS NULL OR t.id < p_starting_after)
        ORDER BY t.id DESC
        LIMIT p_page_size
    ) x
    WHERE a.kind IN ('customer', 'receivable') AND a.owner_id = p_customer_id
    ORDER BY x.id DESC
    LIMIT p_page_size;
$$;
