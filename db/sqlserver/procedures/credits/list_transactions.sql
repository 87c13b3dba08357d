-- A customer's statement, newest first, keyset-paginated on the transfer id (never OFFSET).
-- Amounts are signed from the customer's side: credits positive, debits negative. The customer's
-- receivable is on the statement too: a reward_shortfall there (negative) is what they came to owe.
CREATE OR ALTER PROCEDURE dbo.list_transactions
    @customer_id     nvarchar(64),
    @starting_after  bigint,
    @page_size       int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- Two accounts (credit and receivable) read at one point in time (see dbo.trial_balance).
    IF @@TRANCOUNT = 0 SET TRANSACTION ISOLATION LEVEL SNAPSHOT;
    -- NULL cursor = from the newest; a plain upper bound keeps the (account, id) index seek sargable.
    DECLARE @before bigint = COALESCE(@starting_after, 9223372036854775807);
    -- NULL page size = no limit, as PG's LIMIT NULL.
    DECLARE @limit bigint = COALESCE(@page_size, 9223372036854775807);

    SELECT TOP (@limit) x.id, x.kind, x.phase, x.amount, x.currency, x.redemption_id, x.spend_id, x.created_at
    FROM dbo.accounts a
    CROSS APPLY (
        SELECT TOP (@limit) t.id, t.kind, t.phase,
               CASE WHEN t.credit_account_id = a.id THEN t.amount ELSE -t.amount END AS amount,
               t.currency, t.redemption_id, t.spend_id,
               CONVERT(datetime2(6), SWITCHOFFSET(t.created_at, '+00:00')) AS created_at
        FROM dbo.transfers t
        WHERE t.customer_account_id = a.id AND t.id < @before
        ORDER BY t.id DESC
    ) x
    WHERE a.kind IN ('customer', 'receivable') AND a.owner_id = @customer_id
    ORDER BY x.id DESC;
END;
