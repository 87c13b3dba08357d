-- Credit that has just arrived on a customer's account (a posted reward, a spend given back) first pays
-- what the customer owes in that currency: min(owed, available) moves from the account to the
-- customer's receivable, as a transfer, taken from the account's lots ('settlement'). Expired credit
-- pays nothing: the account's due lots expire first (dbo.expire_account_lots). The caller has locked the
-- account (its update did); the receivable is locked after it. No range lock on a missing receivable:
-- only a reversal opens one, and it locks this account first (dbo.add_to_account). Returns the available credit after settling in
-- @available_after. Runs in the caller's transaction and leaves errors to its CATCH.
CREATE OR ALTER PROCEDURE dbo.settle_receivable
    @account_id       bigint,
    @available        bigint,
    @redemption_id    uniqueidentifier,
    @spend_id         uniqueidentifier,
    @now              datetimeoffset(6),
    @available_after  bigint OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @receivable bigint, @owed bigint, @currency char(3), @settled bigint, @balance bigint, @total bigint;
    DECLARE @taken TABLE (lot_id bigint NOT NULL PRIMARY KEY, amount bigint NOT NULL);
    SET @available_after = @available;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.settle_receivable must run inside the caller''s transaction.', 1;

    -- Row lock on the receivable until commit: what is owed decides the settlement.
    SELECT @receivable = r.id, @owed = r.debits_posted - r.credits_posted, @currency = c.currency
    FROM dbo.accounts c
    JOIN dbo.accounts r WITH (UPDLOCK, ROWLOCK)
      ON r.kind = 'receivable' AND r.owner_id = c.owner_id AND r.currency = c.currency
    WHERE c.id = @account_id;
    SET @owed = COALESCE(@owed, 0);
    IF @owed <= 0 OR @available <= 0
        RETURN;
    EXEC dbo.expire_account_lots @account_id = @account_id, @now = @now;
    SELECT @balance = a.credits_posted - a.debits_posted FROM dbo.accounts a WHERE a.id = @account_id;
    SET @available_after = @balance;
    SET @settled = CASE WHEN @owed < @balance THEN @owed ELSE @balance END;
    IF @settled <= 0
        RETURN;

    UPDATE dbo.accounts SET debits_posted = debits_posted + @settled WHERE id = @account_id;
    UPDATE dbo.accounts SET credits_posted = credits_posted + @settled WHERE id = @receivable;
    INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                               redemption_id, spend_id, created_at)
    VALUES (@account_id, @receivable, @account_id, @settled, @currency, 'posted', 'shortfall_settlement',
            @redemption_id, @spend_id, @now);

    -- dbo.take_from_lots's statement ('settlement'): that helper deploys after this one (name order).
    WITH live AS (
        SELECT l.id, l.remaining,
               SUM(l.remaining) OVER (
                   ORDER BY CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END, l.expires_at, l.id
                   ROWS UNBOUNDED PRECEDING) - l.remaining AS before
        FROM dbo.credit_lots l
        WHERE l.account_id = @account_id AND l.remaining > 0
    )
    UPDATE l
    SET remaining = l.remaining - CASE WHEN v.remaining < @settled - v.before THEN v.remaining ELSE @settled - v.before END
    OUTPUT inserted.id, deleted.remaining - inserted.remaining INTO @taken (lot_id, amount)
    FROM dbo.credit_lots l
    JOIN live v ON v.id = l.id
    WHERE v.before < @settled;
    INSERT INTO dbo.lot_movements (lot_id, kind, amount, spend_id, redemption_id, created_at)
    SELECT t.lot_id, 'settlement', -t.amount, @spend_id, @redemption_id, @now
    FROM @taken t
    ORDER BY t.lot_id;
    SELECT @total = COALESCE(SUM(t.amount), 0) FROM @taken t;
    IF @total <> @settled
        THROW 50011, N'dbo.settle_receivable: the account''s lots cannot cover the settlement.', 1;

    SET @available_after = @balance - @settled;
END;
