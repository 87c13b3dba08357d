-- Recounts reward_count, the live (not reversed) uses, of every code of a promo or partner program that has no
-- limit of its own, from the program's redemptions. redeem keeps that count only while a code has an effective
-- limit, so update_program calls this when the program's per-code limit goes from none to a value, in its
-- transaction, with the program row locked. A referral program's codes are left alone (their count is always
-- kept); only codes whose count is wrong are written (and so locked), not every code of a million-code batch.
-- A redemption of an unlimited code does not lock the code, so one committing while this runs may go uncounted.
-- Runs in the caller's transaction and leaves errors to its CATCH.
CREATE OR ALTER PROCEDURE dbo.recount_code_uses
    @program_id  uniqueidentifier
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    IF @@TRANCOUNT = 0
        THROW 50001, N'dbo.recount_code_uses must run inside the caller''s transaction.', 1;

    UPDATE c
    SET reward_count = x.uses
    FROM dbo.referral_codes c
    JOIN (
        SELECT k.code, COALESCE(u.uses, 0) AS uses
        FROM dbo.referral_codes k
        JOIN dbo.programs p ON p.id = k.program_id AND p.kind <> 'referral'
        LEFT JOIN (
            -- The program's uses by code, through redemptions_customer_ix (program_id, ...) WHERE kind <> 'referral'.
            SELECT r.code, COUNT(*) AS uses
            FROM dbo.redemptions r
            WHERE r.program_id = @program_id AND r.kind <> 'referral' AND r.status <> 'reversed'
            GROUP BY r.code
        ) u ON u.code = k.code
        WHERE k.program_id = @program_id AND k.max_redemptions IS NULL
    ) x ON x.code = c.code
    WHERE c.max_redemptions IS NULL AND c.reward_count <> x.uses;
END;
