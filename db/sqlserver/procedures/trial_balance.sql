-- Per currency: posted and pending debits and credits, each leg counted in its account's currency.
-- A pending transfer counts while it is neither posted nor voided.
CREATE OR ALTER PROCEDURE dbo.trial_balance
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    BEGIN TRY
        BEGIN TRANSACTION;
        WITH live AS (
            SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount,
                   CASE WHEN t.phase IN ('posted', 'post') THEN 'posted' ELSE 'pending' END AS bucket
            FROM dbo.transfers t
            WHERE t.phase IN ('posted', 'post')
               OR (t.phase = 'pending' AND NOT EXISTS (SELECT 1 FROM dbo.transfers r WHERE r.pending_id = t.id))
        ), legs AS (
            SELECT a.currency, l.bucket, l.amount AS debit, CAST(0 AS bigint) AS credit
            FROM live l JOIN dbo.accounts a ON a.id = l.debit_account_id
            UNION ALL
            SELECT a.currency, l.bucket, CAST(0 AS bigint), l.amount
            FROM live l JOIN dbo.accounts a ON a.id = l.credit_account_id
        )
        -- ELSE 0 rather than PG's FILTER + COALESCE: same sums, and no "NULL eliminated" warning.
        SELECT currency,
               CAST(SUM(CASE WHEN bucket = 'posted' THEN debit ELSE 0 END) AS bigint) AS posted_debits,
               CAST(SUM(CASE WHEN bucket = 'posted' THEN credit ELSE 0 END) AS bigint) AS posted_credits,
               CAST(SUM(CASE WHEN bucket = 'pending' THEN debit ELSE 0 END) AS bigint) AS pending_debits,
               CAST(SUM(CASE WHEN bucket = 'pending' THEN credit ELSE 0 END) AS bigint) AS pending_credits
        FROM legs
        GROUP BY currency
        ORDER BY currency;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
