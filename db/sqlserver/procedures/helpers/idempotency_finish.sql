-- Writes the key, the request hash and the outcome in the transaction of the effect they guard:
-- one row write per keyed request. When a concurrent request with the same key committed first,
-- this one fails with error 51205, which the data layer treats like a deadlock (rolled back, safe
-- to retry), and the retry replays the winner. Runs in the caller's transaction.
CREATE OR ALTER PROCEDURE dbo.idempotency_finish
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @operation        varchar(40),
    @request_hash     char(64),
    @outcome          nvarchar(max)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.idempotency_finish must run inside the caller''s transaction.', 1;

    -- UPDLOCK, HOLDLOCK: the existence check and the insert are one decision, held until commit.
    INSERT INTO dbo.idempotency_keys (caller_id, [key], operation, request_hash, outcome, created_at)
    SELECT @caller_id, @idempotency_key, @operation, @request_hash, @outcome, SYSUTCDATETIME()
    WHERE NOT EXISTS (SELECT 1 FROM dbo.idempotency_keys k WITH (UPDLOCK, HOLDLOCK)
                      WHERE k.caller_id = @caller_id AND k.[key] = @idempotency_key);
    IF @@ROWCOUNT = 0
        THROW 51205, N'The idempotency key was claimed by a concurrent request.', 1;
END;
