-- Changes a code's status, limit or expiry; NULL arguments leave a field as it is (a limit can be set or changed,
-- never removed). redeem counts a promo or partner code's live uses in reward_count only while the code has an
-- effective limit (its own, else its program's per-code limit), so setting a limit where there was none first
-- recounts them from the redemptions, under the code's row lock, in this transaction. A referral code's
-- reward_count is always kept (the referrer cap) and is left alone. redeem only reads a code without a limit (no
-- hot row), so a redemption that read it before this lock and commits after it is not counted.
CREATE OR ALTER PROCEDURE dbo.update_code
    @code             nvarchar(32),
    @status           varchar(10),
    @max_redemptions  int,
    @expires_at       datetimeoffset(6)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @found bit = 0, @kind varchar(10), @limit int, @uses int, @program_id uniqueidentifier, @per_code int;
    DECLARE @result dbo.code_row;

    BEGIN TRY
        BEGIN TRANSACTION;

        -- The program is read first and apart, then the code's row is locked until commit: the order update_program
        -- takes them in (program, then its codes), so the two cannot deadlock. A code's program never changes; a
        -- program limit set in between is at worst a second recount with the same result.
        -- UPDLOCK holds the code's lock to commit; no HOLDLOCK, which adds only a range lock when the code is missing.
        SELECT @program_id = c.program_id FROM dbo.referral_codes c WHERE c.code = @code;
        SELECT @kind = p.kind, @per_code = p.max_redemptions_per_code FROM dbo.programs p WHERE p.id = @program_id;
        SELECT @found = 1, @limit = COALESCE(c.max_redemptions, @per_code)
        FROM dbo.referral_codes c WITH (UPDLOCK, ROWLOCK)
        WHERE c.code = @code;

        IF @found = 0
            INSERT INTO @result (status) VALUES ('code_not_found');
        ELSE
        BEGIN
            IF @max_redemptions IS NOT NULL AND @limit IS NULL AND @kind <> 'referral'
                SELECT @uses = COUNT(*) FROM dbo.redemptions r
                WHERE r.code = @code AND r.kind <> 'referral' AND r.status NOT IN ('reversed', 'expired');

            UPDATE dbo.referral_codes
            SET status = COALESCE(@status, status),
                max_redemptions = COALESCE(@max_redemptions, max_redemptions),
                expires_at = COALESCE(@expires_at, expires_at),
                reward_count = COALESCE(@uses, reward_count)
            WHERE code = @code;

            INSERT INTO @result (status, code, program_id, owner_id, source, code_status, max_redemptions, expires_at,
                                 batch_id, created_at)
            SELECT 'ok', c.code, c.program_id, c.owner_id, c.source, c.status, c.max_redemptions,
                   CONVERT(datetime2(6), SWITCHOFFSET(c.expires_at, '+00:00')), c.batch_id,
                   CONVERT(datetime2(6), SWITCHOFFSET(c.created_at, '+00:00'))
            FROM dbo.referral_codes c
            WHERE c.code = @code;
        END;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT * FROM @result;
END;
