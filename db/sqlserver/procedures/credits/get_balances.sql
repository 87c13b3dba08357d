-- A customer's available (posted) and pending credit, and what they owe, one row per currency.
CREATE OR ALTER PROCEDURE dbo.get_balances
    @customer_id nvarchar(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- Two accounts (credit and receivable) read at one point in time (see dbo.trial_balance).
    IF @@TRANCOUNT = 0 SET TRANSACTION ISOLATION LEVEL SNAPSHOT;

    SELECT a.currency,
           a.credits_posted - a.debits_posted AS available,
           a.credits_pending - a.debits_pending AS pending,
           COALESCE(r.debits_posted - r.credits_posted, 0) AS owed,
           CAST(NULL AS datetime2(6)) AS available_at, CAST(NULL AS bigint) AS expiring, CAST(NULL AS datetime2(6)) AS expires_at
    FROM dbo.accounts a
    LEFT JOIN dbo.accounts r ON r.kind = 'receivable' AND r.owner_id = a.owner_id AND r.currency = a.currency
    WHERE a.kind = 'customer' AND a.owner_id = @customer_id
    ORDER BY a.currency;
END;
