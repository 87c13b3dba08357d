-- A customer's available (posted) and pending credit, and what they owe, one row per currency.
CREATE OR REPLACE FUNCTION get_balances(p_customer_id varchar)
RETURNS SETOF balance_row
LANGUAGE sql STABLE AS $$
    SELECT a.currency, a.credits_posted - a.debits_posted, a.credits_pending - a.debits_pending,
           COALESCE(r.debits_posted - r.credits_posted, 0), NULL::timestamptz, NULL::bigint, NULL::timestamptz
    FROM accounts a
    LEFT JOIN accounts r ON r.kind = 'receivable' AND r.owner_id = a.owner_id AND r.currency = a.currency
    WHERE a.kind = 'customer' AND a.owner_id = p_customer_id
    ORDER BY a.currency;
$$;
