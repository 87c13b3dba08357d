-- One chunk of a batch: inserts the drawn codes that are free, up to what the batch still lacks, and
-- adds them to generated, in one transaction (a crash between chunks loses nothing, and a code is never
-- generated twice). Drawn codes that exist already (any program, any source) are skipped; the worker
-- draws again for them. Renews the worker's lease. status 'invalid_state' when this worker no longer
-- holds the batch: nothing written. The batch row is locked first (UPDLOCK), so chunks of one batch
-- never interleave. completed_at and updated_at are the time of the write, not of the call's start: a
-- batch's duration includes its last chunk.
CREATE OR ALTER PROCEDURE dbo.add_batch_codes
    @id             uniqueidentifier,
    @worker         uniqueidentifier,
    @lease_seconds  int,
    @codes          dbo.code_list READONLY
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @program_id uniqueidentifier, @status varchar(10), @claimed_by uniqueidentifier, @missing int,
            @max_redemptions int, @expires_at datetimeoffset(6), @inserted int = 0, @slice int, @attempt int,
            @from nvarchar(32) = N'', @to nvarchar(32);
    DECLARE @now datetimeoffset(6) = SYSUTCDATETIME();
    DECLARE @result dbo.code_batch_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        SELECT @program_id = b.program_id, @status = b.status, @claimed_by = b.claimed_by,
               @missing = b.code_count - b.generated, @max_redemptions = b.max_redemptions, @expires_at = b.expires_at
        FROM dbo.code_batches b WITH (UPDLOCK, ROWLOCK)
        WHERE b.id = @id;

        IF @status IS NULL OR @status <> 'running' OR @claimed_by IS NULL OR @claimed_by <> @worker
            INSERT INTO @result (status) VALUES ('invalid_state');
        ELSE
        BEGIN
            -- Set-based, without key-range locks: the drawn codes that do not exist are inserted. A concurrent
            -- transaction inserting one of the same codes (another batch, a vanity code: about never, the
            -- codes are random) makes the statement fail with a duplicate key; it is undone alone (XACT_ABORT
            -- OFF for this statement only, see add_to_account) and run again, when NOT EXISTS sees the other's
            -- committed code (@slice stays NULL until a run succeeds; after a third failure the slice is left out,
            -- and the worker draws what the chunk fell short of again). UPDLOCK, HOLDLOCK on the probe would instead lock a key range per
            -- drawn code and make concurrent chunks queue and deadlock.
            -- In slices of at most 2,000 codes, one INSERT each, in code order along the parameter's key: a
            -- statement that takes 5,000 locks on one index is escalated to a table lock, which would hold up
            -- every redemption for the rest of the chunk's transaction (a chunk is Batches:ChunkSize codes).
            -- Random codes land on different pages, so a slice may take a key lock and a page intent lock per
            -- code on an index: 2,000 codes stay under the threshold either way.
            SET XACT_ABORT OFF;
            WHILE @inserted < @missing
            BEGIN
                SET @to = NULL;
                SELECT @to = MAX(s.code)
                FROM (SELECT TOP (2000) c.code FROM @codes c WHERE c.code > @from ORDER BY c.code) AS s;
                IF @to IS NULL
                    BREAK;
                SET @slice = NULL;
                SET @attempt = 1;
                WHILE @slice IS NULL
                BEGIN
                    BEGIN TRY
                        INSERT INTO dbo.referral_codes (code, program_id, owner_id, source, status, max_redemptions,
                                                        expires_at, batch_id, created_at)
                        SELECT TOP (@missing - @inserted) c.code, @program_id, NULL, 'batch', 'active', @max_redemptions,
                               @expires_at, @id, @now
                        FROM @codes c
                        WHERE c.code > @from AND c.code <= @to
                          AND NOT EXISTS (SELECT 1 FROM dbo.referral_codes r WHERE r.code = c.code);
                        SET @slice = @@ROWCOUNT;
                    END TRY
                    BEGIN CATCH
                        -- Only a taken code is retried; any other duplicate (a bug) is an error, as on PostgreSQL.
                        IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1
                           OR ERROR_MESSAGE() NOT LIKE N'%''referral_codes_pkey''%'
                            THROW;
                        IF @attempt >= 3
                            SET @slice = 0;
                        SET @attempt += 1;
                    END CATCH;
                END;
                SET @inserted += @slice;
                SET @from = @to;
            END;
            SET XACT_ABORT ON;

            UPDATE dbo.code_batches
            SET generated = generated + @inserted,
                status = CASE WHEN generated + @inserted = code_count THEN 'completed' ELSE 'running' END,
                completed_at = CASE WHEN generated + @inserted = code_count THEN SYSUTCDATETIME() END,
                claimed_by = CASE WHEN generated + @inserted = code_count THEN NULL ELSE claimed_by END,
                lease_until = CASE WHEN generated + @inserted = code_count THEN NULL
                                   ELSE DATEADD(second, @lease_seconds, SYSUTCDATETIME()) END,
                updated_at = SYSUTCDATETIME()
            WHERE id = @id AND status = 'running' AND claimed_by = @worker;
            -- The row lock taken above makes this certain; the guard keeps it so should the hint ever go.
            IF @@ROWCOUNT = 0
                THROW 50002, N'The batch is no longer held by this worker.', 1;
            INSERT INTO @result SELECT * FROM dbo.code_batch_view(@id);
        END;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT * FROM @result;
END;
