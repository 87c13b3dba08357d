-- Per currency: posted and pending debits and credits, each leg counted in its account's currency.
-- A pending transfer counts while it is neither posted nor voided. Sums are decimal(38, 0): a
-- currency's total may pass 2^63 minor units long before any single amount could.
-- Snapshot isolation: one point in time, as PostgreSQL's single statement reads, without blocking
-- writers (the database needs ALLOW_SNAPSHOT_ISOLATION ON; db/sqlserver/prerequisites.sql, README).
-- One statement: outside a caller's transaction it runs in its own, which takes the snapshot, so no
-- BEGIN TRANSACTION (nor a CATCH to roll one back) is needed.
CREATE OR ALTER PROCEDURE dbo.trial_balance
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- Inside a caller's transaction the level cannot change (Msg 3951): read in the caller's, as PG does.
    IF @@TRANCOUNT = 0 SET TRANSACTION ISOLATION LEVEL SNAPSHOT;

    WITH live AS (
        SELECT t.id, t.debit_account_id, t.credit_account_id, CAST(t.amount AS decimal(38, 0)) AS amount,
               CASE WHEN t.phase IN ('posted', 'post') THEN 'posted' ELSE 'pending' END AS bucket
        FROM dbo.transfers t
        WHERE t.phase IN ('posted', 'post')
           OR (t.phase = 'pending' AND NOT EXISTS (SELECT 1 FROM dbo.transfers r WHERE r.pending_id = t.id))
    ), legs AS (
        SELECT a.currency, l.bucket, l.amount AS debit, CAST(0 AS decimal(38, 0)) AS credit
        FROM live l JOIN dbo.accounts a ON a.id = l.debit_account_id
        UNION ALL
        SELECT a.currency, l.bucket, CAST(0 AS decimal(38, 0)), l.amount
        FROM live l JOIN dbo.accounts a ON a.id = l.credit_account_id
    )
    -- ELSE 0 rather than PG's FILTER + COALESCE: same sums, and no "NULL eliminated" warning.
    SELECT currency,
           SUM(CASE WHEN bucket = 'posted' THEN debit ELSE 0 END) AS posted_debits,
           SUM(CASE WHEN bucket = 'posted' THEN credit ELSE 0 END) AS posted_credits,
           SUM(CASE WHEN bucket = 'pending' THEN debit ELSE 0 END) AS pending_debits,
           SUM(CASE WHEN bucket = 'pending' THEN credit ELSE 0 END) AS pending_credits
    FROM legs
    GROUP BY currency
    ORDER BY currency;
END;
