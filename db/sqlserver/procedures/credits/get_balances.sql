-- A customer's credit, one row per currency (what each column means: PG's get_balances.sql): available (posted,
-- less lots due at @now that the job runner has not expired yet), pending (held rewards included), owed,
-- available_at (when the earliest held credit posts) and the next expiry (the lots expiring soonest after @now).
CREATE OR ALTER PROCEDURE dbo.get_balances
    @customer_id  nvarchar(64),
    @now          datetimeoffset(6)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- The accounts, lots and holds read at one point in time (see dbo.trial_balance).
    IF @@TRANCOUNT = 0 SET TRANSACTION ISOLATION LEVEL SNAPSHOT;

    SELECT a.currency,
           a.credits_posted - a.debits_posted - COALESCE(due.amount, 0) AS available,
           a.credits_pending - a.debits_pending AS pending,
           COALESCE(r.debits_posted - r.credits_posted, 0) AS owed,
           CONVERT(datetime2(6), SWITCHOFFSET(held.available_at, '+00:00')) AS available_at,
           next_lots.amount AS expiring,
           CONVERT(datetime2(6), SWITCHOFFSET(next_lots.expires_at, '+00:00')) AS expires_at
    FROM dbo.accounts a
    LEFT JOIN dbo.accounts r ON r.kind = 'receivable' AND r.owner_id = a.owner_id AND r.currency = a.currency
    OUTER APPLY (
        SELECT SUM(l.remaining) AS amount FROM dbo.credit_lots l
        WHERE l.account_id = a.id AND l.remaining > 0 AND l.expires_at <= @now
    ) AS due
    OUTER APPLY (
        SELECT MIN(h.available_at) AS available_at FROM dbo.credit_holds h WHERE h.account_id = a.id
    ) AS held
    OUTER APPLY (
        SELECT TOP (1) l.expires_at, SUM(l.remaining) AS amount FROM dbo.credit_lots l
        WHERE l.account_id = a.id AND l.remaining > 0 AND l.expires_at > @now
        GROUP BY l.expires_at
        ORDER BY l.expires_at
    ) AS next_lots
    WHERE a.kind = 'customer' AND a.owner_id = @customer_id
    ORDER BY a.currency;
END;
