-- Records that a customer owes @amount in a currency (the shortfall of a reversal): debits their
-- receivable account, opening it on first use, and returns its id in @id. Runs in the caller's
-- transaction, which has already locked this customer's account in this currency: every writer of a
-- customer's receivable does that first, so no concurrent first insert can race this one, and no range
-- lock (HOLDLOCK) is needed for the missing-row case. Leaves errors to the caller's CATCH.
CREATE OR ALTER PROCEDURE dbo.customer_owes
    @customer_id  nvarchar(64),
    @currency     char(3),
    @amount       bigint,
    @now          datetimeoffset(6),
    @id           bigint OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @updated TABLE (id bigint NOT NULL);
    SET @id = NULL;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.customer_owes must run inside the caller''s transaction.', 1;

    UPDATE a SET debits_posted = a.debits_posted + @amount
    OUTPUT inserted.id INTO @updated (id)
    FROM dbo.accounts a WITH (ROWLOCK)
    WHERE a.kind = 'receivable' AND a.owner_id = @customer_id AND a.currency = @currency;
    SELECT @id = u.id FROM @updated u;

    IF @id IS NULL
    BEGIN
        INSERT INTO dbo.accounts (kind, owner_id, currency, debits_posted, created_at)
        VALUES ('receivable', @customer_id, @currency, @amount, @now);
        SET @id = CAST(SCOPE_IDENTITY() AS bigint);
    END;
END;
