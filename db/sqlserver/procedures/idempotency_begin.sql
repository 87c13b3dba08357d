-- Claims an idempotency key inside the caller's transaction. The key-range update lock makes a
-- concurrent holder of the same key wait for the first caller's commit, so the loser then sees
-- the stored outcome and replays. Runs in the caller's transaction and leaves errors to its CATCH.
-- @state: 'new' (claimed), 'replay' (@outcome is the stored one) or 'reused' (another request).
CREATE OR ALTER PROCEDURE dbo.idempotency_begin
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @operation        varchar(40),
    @request_hash     char(64),
    @state            varchar(10)   OUTPUT,
    @outcome          nvarchar(max) OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @hash char(64);

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.idempotency_begin must run inside the caller''s transaction.', 1;

    -- UPDLOCK, HOLDLOCK: the existence check and the insert are one decision, held until commit.
    INSERT INTO dbo.idempotency_keys (caller_id, [key], operation, request_hash, created_at)
    SELECT @caller_id, @idempotency_key, @operation, @request_hash, SYSUTCDATETIME()
    WHERE NOT EXISTS (SELECT 1 FROM dbo.idempotency_keys k WITH (UPDLOCK, HOLDLOCK)
                      WHERE k.caller_id = @caller_id AND k.[key] = @idempotency_key);
    IF @@ROWCOUNT = 1
    BEGIN
        SET @state = 'new';
        SET @outcome = NULL;
        RETURN;
    END;

    SELECT @hash = k.request_hash, @outcome = k.outcome
    FROM dbo.idempotency_keys k
    WHERE k.caller_id = @caller_id AND k.[key] = @idempotency_key;
    SET @state = CASE WHEN @hash = @request_hash THEN 'replay' ELSE 'reused' END;
    IF @state = 'reused'
        SET @outcome = NULL;
END;
