-- Stores the outcome of the request that claimed the key, in the same transaction as its effect.
-- Runs in the caller's transaction (which holds the key's lock since dbo.idempotency_begin).
CREATE OR ALTER PROCEDURE dbo.idempotency_finish
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @outcome          nvarchar(max)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.idempotency_finish must run inside the caller''s transaction.', 1;

    UPDATE dbo.idempotency_keys SET outcome = @outcome
    WHERE caller_id = @caller_id AND [key] = @idempotency_key;
END;
