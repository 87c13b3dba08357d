-- Per currency: posted and pending debits and credits, each leg counted in its account's currency.
-- A pending transfer counts while it is neither posted nor voided. Sums are numeric: a currency's
-- total may pass 2^63 minor units long before any single amount could.
CREATE OR REPLACE FUNCTION trial_balance()
RETURNS SETOF trial_balance_row
LANGUAGE sql STABLE AS $$
    WITH live AS (
        SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount,
               CASE WHEN t.phase IN ('posted', 'post') THEN 'posted' ELSE 'pending' END AS bucket
        FROM transfers t
        WHERE t.phase IN ('posted', 'post')
           OR (t.phase = 'pending' AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id))
    ), legs AS (
        SELECT a.currency, l.bucket, l.amount::numeric AS debit, 0::numeric AS credit
        FROM live l JOIN accounts a ON a.id = l.debit_account_id
        UNION ALL
        SELECT a.currency, l.bucket, 0::numeric, l.amount::numeric
        FROM live l JOIN accounts a ON a.id = l.credit_account_id
    )
    SELECT currency::char(3),
           COALESCE(SUM(debit) FILTER (WHERE bucket = 'posted'), 0),
           COALESCE(SUM(credit) FILTER (WHERE bucket = 'posted'), 0),
           COALESCE(SUM(debit) FILTER (WHERE bucket = 'pending'), 0),
           COALESCE(SUM(credit) FILTER (WHERE bucket = 'pending'), 0)
    FROM legs
    GROUP BY currency
    ORDER BY currency;
$$;
