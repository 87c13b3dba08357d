-- Adds to a customer-owned account, opening it on first use, and returns its id in @id: pending credit
-- to a customer's credit account (kind 'customer'), or what a customer owes to their receivable (kind
-- 'receivable', debits). Race-free upsert without a range lock: the UPDATE takes the row lock of an
-- existing account; a first use inserts, and when a concurrent first use of the same account got there
-- first, the INSERT waits on its key and fails with 2601/2627 once it commits (as PostgreSQL's ON
-- CONFLICT), and the UPDATE then finds its row. UPDLOCK, HOLDLOCK on the missing key would lock the
-- range up to the next key, so unrelated first-time customers would queue.
-- Runs in the caller's transaction and leaves other errors to its CATCH.
CREATE OR ALTER PROCEDURE dbo.add_to_account
    @kind             varchar(10),
    @owner_id         nvarchar(64),
    @currency         char(3),
    @credits_pending  bigint,
    @debits_posted    bigint,
    @now              datetimeoffset(6),
    @id               bigint OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @updated TABLE (id bigint NOT NULL);
    SET @id = NULL;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.add_to_account must run inside the caller''s transaction.', 1;

    UPDATE a SET credits_pending = a.credits_pending + @credits_pending, debits_posted = a.debits_posted + @debits_posted
    OUTPUT inserted.id INTO @updated (id)
    FROM dbo.accounts a
    WHERE a.kind = @kind AND a.owner_id = @owner_id AND a.currency = @currency;
    SELECT @id = u.id FROM @updated u;

    IF @id IS NULL
    BEGIN
        -- Insert first, treat a duplicate key as "exists". XACT_ABORT OFF for this statement only: under
        -- ON, the duplicate key would doom the caller's transaction; OFF, it ends the statement alone and
        -- the transaction stays committable (XACT_STATE() = 1). This pattern recurs in redeem,
        -- spend_credit and get_or_create_referral_code: T-SQL has no ON CONFLICT to share.
        SET XACT_ABORT OFF;
        BEGIN TRY
            INSERT INTO dbo.accounts (kind, owner_id, currency, credits_pending, debits_posted, created_at)
            VALUES (@kind, @owner_id, @currency, @credits_pending, @debits_posted, @now);
            SET @id = CAST(SCOPE_IDENTITY() AS bigint);
        END TRY
        BEGIN CATCH
            -- Only the natural key is "exists"; any other duplicate (an id) is an error, as on PostgreSQL.
            IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1
               OR ERROR_MESSAGE() NOT LIKE N'%''accounts_owner_uq''%'
                THROW;
        END CATCH;
        SET XACT_ABORT ON;
        IF @id IS NULL
        BEGIN
            UPDATE a SET credits_pending = a.credits_pending + @credits_pending, debits_posted = a.debits_posted + @debits_posted
            OUTPUT inserted.id INTO @updated (id)
            FROM dbo.accounts a
            WHERE a.kind = @kind AND a.owner_id = @owner_id AND a.currency = @currency;
            SELECT @id = u.id FROM @updated u;
        END;
    END;
END;
