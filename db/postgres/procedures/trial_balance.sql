-- Per currency: posted and pending debits and credits, each leg counted in its account's currency.
-- A pending transfer counts while it is neither posted nor voided.
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
        SELECT a.currency, l.bucket, l.amount AS debit, 0::bigint AS credit
        FROM live l JOIN accounts a ON a.id = l.debit_account_id
        UNION ALL
        SELECT a.currency, l.bucket, 0::bigint, l.amount
        FROM live l JOIN accounts a ON a.id = l.credit_account_id
    )
    SELECT currency::char(3),
           COALESCE(SUM(debit) FILTER (WHERE bucket = 'posted'), 0)::bigint,
           COALESCE(SUM(credit) FILTER (WHERE bucket = 'posted'), 0)::bigint,
           COALESCE(SUM(debit) FILTER (WHERE bucket = 'pending'), 0)::bigint,
           COALESCE(SUM(credit) FILTER (WHERE bucket = 'pending'), 0)::bigint
    FROM legs
    GROUP BY currency
    ORDER BY currency;
$$;
