CREATE OR REPLACE FUNCTION get_balances(p_customer_id varchar)
RETURNS SETOF balance_row
LANGUAGE sql STABLE AS $$
    SELECT a.currency, a.credits_posted - a.debits_posted, a.credits_pending - a.debits_pending
    FROM accounts a
    WHERE a.kind = 'customer' AND a.owner_id = p_customer_id
    ORDER BY a.currency;
$$;
