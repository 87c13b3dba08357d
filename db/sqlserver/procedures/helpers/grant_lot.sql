-- Opens a credit lot for posted credit that has just landed on a customer's account (the rules: PG's grant_lot.sql).
-- Call it right after the credit, before dbo.settle_receivable. The caller holds the account's row lock.
-- Runs in the caller's transaction and leaves errors to its CATCH.
CREATE OR ALTER PROCEDURE dbo.grant_lot
    @account_id     bigint,
    @amount         bigint,
    @program_id     uniqueidentifier,
    @redemption_id  uniqueidentifier,
    @expires_at     datetimeoffset(6),
    @now            datetimeoffset(6)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.grant_lot must run inside the caller''s transaction.', 1;

    INSERT INTO dbo.credit_lots (account_id, currency, program_id, redemption_id, granted, remaining, expires_at, created_at)
    SELECT a.id, a.currency, @program_id, @redemption_id, @amount, @amount, @expires_at, @now
    FROM dbo.accounts a
    WHERE a.id = @account_id AND a.kind = 'customer';
    IF @@ROWCOUNT = 0
        THROW 50010, N'dbo.grant_lot: the account is not a customer account.', 1;
END;
