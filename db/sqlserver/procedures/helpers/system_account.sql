-- Returns (@id) the id of a funding or spent account, creating it on first use. Its balance is
-- derived from transfers and never stored, so this row is read, never updated: no hot row.
-- Runs in the caller's transaction and leaves errors to its CATCH.
CREATE OR ALTER PROCEDURE dbo.system_account
    @kind      varchar(10),
    @owner_id  nvarchar(64),
    @currency  char(3),
    @id        bigint OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    SET @id = NULL;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.system_account must run inside the caller''s transaction.', 1;

    SELECT @id = a.id FROM dbo.accounts a
    WHERE a.kind = @kind AND a.owner_id = @owner_id AND a.currency = @currency;
    IF @id IS NULL
    BEGIN
        -- First use: the key-range update lock makes a concurrent first use wait, then find the row.
        -- A range lock is kept here (not insert-then-catch): this runs once per program (its funding
        -- account) and once per currency (the spent account), never on a busy path.
        INSERT INTO dbo.accounts (kind, owner_id, currency, created_at)
        SELECT @kind, @owner_id, @currency, SYSUTCDATETIME()
        WHERE NOT EXISTS (SELECT 1 FROM dbo.accounts a WITH (UPDLOCK, HOLDLOCK)
                          WHERE a.kind = @kind AND a.owner_id = @owner_id AND a.currency = @currency);
        IF @@ROWCOUNT = 1
            SET @id = CAST(SCOPE_IDENTITY() AS bigint);
        ELSE
            SELECT @id = a.id FROM dbo.accounts a
            WHERE a.kind = @kind AND a.owner_id = @owner_id AND a.currency = @currency;
    END;
END;
