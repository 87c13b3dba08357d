-- Credit that has just arrived on a customer's account (a posted reward, a spend given back) first pays
-- what the customer owes in that currency: min(owed, available) moves from the account to the
-- customer's receivable, as a transfer. The caller has locked the account (its update did); the
-- receivable is locked after it. No range lock on a missing receivable: only a reversal opens one, and
-- it locks this account first (dbo.add_to_account). Returns the available credit after settling in
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
    DECLARE @receivable bigint, @owed bigint, @currency char(3), @settled bigint;
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
    SET @settled = CASE WHEN @owed < @available THEN @owed ELSE @available END;
    IF @settled <= 0
        RETURN;

    UPDATE dbo.accounts SET debits_posted = debits_posted + @settled WHERE id = @account_id;
    UPDATE dbo.accounts SET credits_posted = credits_posted + @settled WHERE id = @receivable;
    INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                               redemption_id, spend_id, created_at)
    VALUES (@account_id, @receivable, @account_id, @settled, @currency, 'posted', 'shortfall_settlement',
            @redemption_id, @spend_id, @now);
    SET @available_after = @available - @settled;
END;
