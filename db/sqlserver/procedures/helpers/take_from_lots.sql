-- Takes @amount from a customer account's live lots, right after a posted debit of that amount (the rules: PG's
-- take_from_lots.sql): soonest expiry first, lots without expiry last (SQL Server sorts NULL first, hence the CASE),
-- ties by id; a reversal takes from its own reward's lots first. One lot_movements row per lot touched. Throws when
-- the lots cannot cover it (a bug, never a refusal). The caller holds the account's row lock, under which every
-- change to its lots happens. dbo.settle_receivable repeats this statement: it deploys before this helper
-- (helpers deploy in name order), and T-SQL cannot pass the table of lots taken on.
-- Runs in the caller's transaction and leaves errors to its CATCH.
CREATE OR ALTER PROCEDURE dbo.take_from_lots
    @account_id     bigint,
    @amount         bigint,
    @kind           varchar(20),
    @redemption_id  uniqueidentifier,
    @spend_id       uniqueidentifier,
    @now            datetimeoffset(6)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @taken TABLE (lot_id bigint NOT NULL PRIMARY KEY, amount bigint NOT NULL);
    DECLARE @total bigint, @first bigint, @first_remaining bigint;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.take_from_lots must run inside the caller''s transaction.', 1;
    IF @amount <= 0
        RETURN;

    -- The common case (a spend or settlement the first lot in taking order covers): that one lot, without a window
    -- over every live lot (PG: the same fast path).
    IF @kind <> 'reversal'
    BEGIN
        SELECT TOP (1) @first = l.id, @first_remaining = l.remaining
        FROM dbo.credit_lots l
        WHERE l.account_id = @account_id AND l.remaining > 0
        ORDER BY CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END, l.expires_at, l.id;
        IF @first_remaining >= @amount
        BEGIN
            UPDATE dbo.credit_lots SET remaining = remaining - @amount WHERE id = @first;
            INSERT INTO dbo.lot_movements (lot_id, kind, amount, spend_id, redemption_id, created_at)
            VALUES (@first, @kind, -@amount, @spend_id, @redemption_id, @now);
            RETURN;
        END;
    END;

    -- Each lot, in taking order, gives what the lots before it left of @amount (before: their running total).
    WITH live AS (
        SELECT l.id, l.remaining,
               SUM(l.remaining) OVER (
                   ORDER BY CASE WHEN @kind = 'reversal' AND l.redemption_id = @redemption_id THEN 0 ELSE 1 END,
                            CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END, l.expires_at, l.id
                   ROWS UNBOUNDED PRECEDING) - l.remaining AS before
        FROM dbo.credit_lots l
        WHERE l.account_id = @account_id AND l.remaining > 0
    )
    UPDATE l
    SET remaining = l.remaining - CASE WHEN v.remaining < @amount - v.before THEN v.remaining ELSE @amount - v.before END
    OUTPUT inserted.id, deleted.remaining - inserted.remaining INTO @taken (lot_id, amount)
    FROM dbo.credit_lots l
    JOIN live v ON v.id = l.id
    WHERE v.before < @amount;

    INSERT INTO dbo.lot_movements (lot_id, kind, amount, spend_id, redemption_id, created_at)
    SELECT t.lot_id, @kind, -t.amount, @spend_id, @redemption_id, @now
    FROM @taken t
    ORDER BY t.lot_id;

    SELECT @total = COALESCE(SUM(t.amount), 0) FROM @taken t;
    IF @total <> @amount
        THROW 50011, N'dbo.take_from_lots: the account''s lots cannot cover the amount.', 1;
END;
