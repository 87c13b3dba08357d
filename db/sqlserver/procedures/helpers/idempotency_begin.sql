-- Looks the idempotency key up: 'new' (never seen), 'replay' (@outcome is the stored answer to this
-- very request) or 'reused' (the key answered another request). Takes no lock: the key is written
-- by dbo.idempotency_finish, in the same transaction as the effect.
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

    SELECT @hash = k.request_hash, @outcome = k.outcome
    FROM dbo.idempotency_keys k
    WHERE k.caller_id = @caller_id AND k.[key] = @idempotency_key;
    SET @state = CASE WHEN @hash IS NULL THEN 'new' WHEN @hash = @request_hash THEN 'replay' ELSE 'reused' END;
    IF @state <> 'replay'
        SET @outcome = NULL;
END;
