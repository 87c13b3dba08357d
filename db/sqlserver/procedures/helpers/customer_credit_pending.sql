-- Adds pending credit to a customer's account, opening the account on first use; returns its id
-- in @id. Race-free upsert: the guarded UPDATE takes the row lock, or, when there is no row yet,
-- the key-range lock (HOLDLOCK), so a concurrent first credit waits and then updates our row.
-- Runs in the caller's transaction and leaves errors to its CATCH.
CREATE OR ALTER PROCEDURE dbo.customer_credit_pending
    @customer_id  nvarchar(64),
    @currency     char(3),
    @amount       bigint,
    @id           bigint OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @updated TABLE (id bigint NOT NULL);
    SET @id = NULL;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.customer_credit_pending must run inside the caller''s transaction.', 1;

    UPDATE a SET credits_pending = a.credits_pending + @amount
    OUTPUT inserted.id INTO @updated (id)
    FROM dbo.accounts a WITH (UPDLOCK, HOLDLOCK)
    WHERE a.kind = 'customer' AND a.owner_id = @customer_id AND a.currency = @currency;
    SELECT @id = u.id FROM @updated u;

    IF @id IS NULL
    BEGIN
        INSERT INTO dbo.accounts (kind, owner_id, currency, credits_pending, created_at)
        VALUES ('customer', @customer_id, @currency, @amount, SYSUTCDATETIME());
        SET @id = CAST(SCOPE_IDENTITY() AS bigint);
    END;
END;
