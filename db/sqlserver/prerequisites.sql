-- What the database itself must allow before anything in schema/ or procedures/ is deployed. The
-- service runs this before every migration, on its own connection and outside DbUp's per-script
-- transaction: ALTER DATABASE cannot run inside a user transaction (Msg 226).
-- - Compatibility level 130 (SQL Server 2016) or higher: stored idempotency outcomes are read back
--   with OPENJSON, which lower levels do not know (CREATE FUNCTION would fail with Msg 208).
-- - ALLOW_SNAPSHOT_ISOLATION ON: dbo.trial_balance and dbo.ledger_check read accounts and transfers
--   as of one moment (SET TRANSACTION ISOLATION LEVEL SNAPSHOT; Msg 3952 without this option).
--   Every other procedure keeps locking READ COMMITTED, whose blocking their guarded updates rely
--   on, so READ_COMMITTED_SNAPSHOT is left as the operator has it.
-- Setting the option needs ALTER permission on the database (db_owner has it); a login without it
-- gets a message naming the statement a DBA must run once.
DECLARE @level int, @snapshot tinyint, @message nvarchar(2048);

SELECT @level = d.compatibility_level, @snapshot = d.snapshot_isolation_state
FROM sys.databases d
WHERE d.database_id = DB_ID();

IF @level < 130
BEGIN
    SET @message = CONCAT(N'Database ', QUOTENAME(DB_NAME()), N' is at compatibility level ', @level,
                          N'; ReferralService needs 130 or higher (OPENJSON). Run: ALTER DATABASE ',
                          QUOTENAME(DB_NAME()), N' SET COMPATIBILITY_LEVEL = 160;');
    THROW 50000, @message, 1;
END;

-- snapshot_isolation_state: 0 OFF, 1 ON, 2 going OFF, 3 going ON (waits for open write transactions).
IF @snapshot IN (0, 2)
BEGIN
    -- Asked first: a refused ALTER DATABASE reports only "ALTER DATABASE statement failed" to a CATCH.
    IF HAS_PERMS_BY_NAME(DB_NAME(), N'DATABASE', N'ALTER') = 0
    BEGIN
        SET @message = CONCAT(N'Database ', QUOTENAME(DB_NAME()), N' must allow snapshot isolation and this login ',
                              N'may not set it. Run once as a db_owner: ALTER DATABASE ',
                              QUOTENAME(DB_NAME()), N' SET ALLOW_SNAPSHOT_ISOLATION ON;');
        THROW 50000, @message, 1;
    END;
    BEGIN TRY
        ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON;
    END TRY
    BEGIN CATCH
        SET @message = CONCAT(N'Could not allow snapshot isolation on ', QUOTENAME(DB_NAME()), N' (', ERROR_MESSAGE(),
                              N'). Run once as a db_owner: ALTER DATABASE ', QUOTENAME(DB_NAME()),
                              N' SET ALLOW_SNAPSHOT_ISOLATION ON;');
        THROW 50000, @message, 1;
    END CATCH;
END
ELSE IF @snapshot = 3
BEGIN
    -- Turning on waits for the write transactions open when it began; reports fail (Msg 3956) until then.
    SET @message = CONCAT(N'Snapshot isolation on ', QUOTENAME(DB_NAME()),
                          N' is still turning on (it waits for open write transactions); start again shortly.');
    THROW 50000, @message, 1;
END;
