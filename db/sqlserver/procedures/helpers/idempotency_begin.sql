-- The answer a keyed request already has, in @outcome as the JSON of its result row: the stored outcome
-- when this very request was answered before (a replay), {"status": "idempotency_key_reused"} when the
-- key answered another request; NULL when there is no key or the key is new, and the caller does its
-- work. Takes no lock: the key is written by dbo.idempotency_finish, in the same transaction as the effect.
-- @state ('new', 'replay', 'reused') is optional and read by no procedure here; it stays so that a caller
-- still running while a deploy replaces the procedures one script at a time does not fail (Msg 8145).
--
-- Each keyed procedure (create_program, redeem, qualify_redemption, reverse_redemption, spend_credit,
-- reverse_spend) keeps its own frame around these two helpers; T-SQL cannot share more of it:
-- - its answer is a table variable of its result type (@result), which cannot be passed on (a READONLY
--   table-valued parameter has one fixed type: one helper per type) nor filled by a helper (INSERT @result
--   EXEC would make the procedure unusable inside another INSERT ... EXEC, Msg 8164). So the procedure
--   reads the stored JSON back with its own dbo.<type>_from_json (OPENJSON needs its columns written out;
--   only dynamic SQL could take them from the table type) and writes @result as JSON (FOR JSON) for
--   dbo.idempotency_finish itself;
-- - BEGIN TRANSACTION, COMMIT and the CATCH that rolls back and rethrows belong to the procedure that owns
--   the transaction (one call, one transaction).
CREATE OR ALTER PROCEDURE dbo.idempotency_begin
    @caller_id        nvarchar(200),
    @idempotency_key  nvarchar(255),
    @operation        varchar(40),
    @request_hash     char(64),
    @state            varchar(10) = NULL OUTPUT,
    @outcome          nvarchar(max) OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @hash char(64);
    SET @outcome = NULL;
    SET @state = 'new';
    IF @idempotency_key IS NULL
        RETURN;

    SELECT @hash = k.request_hash, @outcome = k.outcome
    FROM dbo.idempotency_keys k
    WHERE k.caller_id = @caller_id AND k.[key] = @idempotency_key;
    SET @state = CASE WHEN @hash IS NULL THEN 'new' WHEN @hash = @request_hash THEN 'replay' ELSE 'reused' END;
    IF @state = 'reused'
        SET @outcome = N'{"status": "idempotency_key_reused"}';
END;
