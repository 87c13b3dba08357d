-- Expires a customer account's due lots (remaining > 0, expires_at <= @now) to their programs' breakage accounts
-- (the rules: PG's expire_account_lots.sql): an 'expiry' transfer and an 'expiry' movement per lot, the lot keeps
-- nothing, the account's debits_posted grows by the total. The caller holds the account's row lock.
-- dbo.expire_credit_lots (the job runner) runs the same statements over a batch of accounts at once.
-- Runs in the caller's transaction and leaves errors to its CATCH.
CREATE OR ALTER PROCEDURE dbo.expire_account_lots
    @account_id  bigint,
    @now         datetimeoffset(6)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @expired TABLE (
        lot_id         bigint           NOT NULL PRIMARY KEY,
        amount         bigint           NOT NULL,
        currency       char(3)          COLLATE Latin1_General_100_BIN2 NOT NULL,
        program_id     uniqueidentifier NULL,
        redemption_id  uniqueidentifier NULL);
    DECLARE @total bigint, @lots int, @booked int;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.expire_account_lots must run inside the caller''s transaction.', 1;

    -- The common case: nothing due (one seek of the account index).
    IF NOT EXISTS (SELECT 1 FROM dbo.credit_lots l
                   WHERE l.account_id = @account_id AND l.remaining > 0 AND l.expires_at <= @now)
        RETURN;

    -- A breakage account on first use (owner: the program id as lower-case text, as PG's uuid::text; '' without a
    -- program). dbo.system_account deploys after this helper (helpers deploy in name order), so its first-use insert
    -- is repeated here: the key-range lock is taken only when one is missing, never on the breakage row every
    -- expiry of the program reads.
    IF EXISTS (SELECT 1 FROM dbo.credit_lots l
               WHERE l.account_id = @account_id AND l.remaining > 0 AND l.expires_at <= @now
                 AND NOT EXISTS (SELECT 1 FROM dbo.accounts b
                                 WHERE b.kind = 'breakage'
                                   AND b.owner_id = COALESCE(LOWER(CONVERT(nvarchar(36), l.program_id)), N'')
                                   AND b.currency = l.currency))
        INSERT INTO dbo.accounts (kind, owner_id, currency, created_at)
        SELECT DISTINCT 'breakage', COALESCE(LOWER(CONVERT(nvarchar(36), l.program_id)), N''), l.currency, @now
        FROM dbo.credit_lots l
        WHERE l.account_id = @account_id AND l.remaining > 0 AND l.expires_at <= @now
          AND NOT EXISTS (SELECT 1 FROM dbo.accounts b WITH (UPDLOCK, HOLDLOCK)
                          WHERE b.kind = 'breakage'
                            AND b.owner_id = COALESCE(LOWER(CONVERT(nvarchar(36), l.program_id)), N'')
                            AND b.currency = l.currency);

    UPDATE l SET remaining = 0
    OUTPUT inserted.id, deleted.remaining, inserted.currency, inserted.program_id, inserted.redemption_id
        INTO @expired (lot_id, amount, currency, program_id, redemption_id)
    FROM dbo.credit_lots l
    WHERE l.account_id = @account_id AND l.remaining > 0 AND l.expires_at <= @now;

    INSERT INTO dbo.lot_movements (lot_id, kind, amount, redemption_id, created_at)
    SELECT e.lot_id, 'expiry', -e.amount, e.redemption_id, @now
    FROM @expired e
    ORDER BY e.lot_id;

    INSERT INTO dbo.transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                               redemption_id, created_at)
    SELECT @account_id, b.id, @account_id, e.amount, e.currency, 'posted', 'expiry', e.redemption_id, @now
    FROM @expired e
    JOIN dbo.accounts b ON b.kind = 'breakage'
                       AND b.owner_id = COALESCE(LOWER(CONVERT(nvarchar(36), e.program_id)), N'')
                       AND b.currency = e.currency
    ORDER BY e.lot_id;
    SET @booked = @@ROWCOUNT;

    SELECT @total = COALESCE(SUM(e.amount), 0), @lots = COUNT(*) FROM @expired e;
    IF @booked <> @lots
        THROW 50012, N'dbo.expire_account_lots: an expired lot has no breakage account.', 1;
    UPDATE dbo.accounts SET debits_posted = debits_posted + @total WHERE id = @account_id;
END;
