-- Writes the key, the request hash and the outcome in the transaction of the effect they guard:
-- one row write per keyed request; a request without a key (NULL) records nothing. When a concurrent
-- request with the same key committed first, this one fails with error 51205, which the data layer
-- treats like a deadlock (rolled back, safe to retry), and the retry replays the winner. Runs in the
-- caller's transaction.
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
    IF @idempotency_key IS NULL
        RETURN;

    -- Insert first: a concurrent request with this key that got there first holds the key's lock, so
    -- this INSERT waits and fails with a duplicate key when it commits; the whole call is rolled back
    -- either way (XACT_ABORT), so 51205 says "retry". An existence check under UPDLOCK, HOLDLOCK would
    -- take a range lock on every new key, and unrelated keys would queue behind each other.
    BEGIN TRY
        INSERT INTO dbo.idempotency_keys (caller_id, [key], operation, request_hash, outcome, created_at)
        VALUES (@caller_id, @idempotency_key, @operation, @request_hash, @outcome, SYSUTCDATETIME());
    END TRY
    BEGIN CATCH
        IF ERROR_NUMBER() IN (2601, 2627)
            THROW 51205, N'The idempotency key was claimed by a concurrent request.', 1;
        THROW;
    END CATCH;
END;
