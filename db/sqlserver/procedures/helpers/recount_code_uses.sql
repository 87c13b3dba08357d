-- A program's promo/partner codes start counting their uses when the program gets a per-code limit: the twin
-- of db/postgres/procedures/helpers/recount_code_uses.sql (the caller holds the program's row lock; a use
-- committing while this runs may go uncounted).
CREATE OR ALTER PROCEDURE dbo.recount_code_uses
    @program_id uniqueidentifier
AS
BEGIN
    SET NOCOUNT ON;
    -- Only rows whose count changes are written: rewriting every code of a large batch would take
    -- thousands of row locks and escalate to a table lock that blocks every redemption.
    UPDATE c
    SET reward_count = n.uses
    FROM dbo.referral_codes c
    CROSS APPLY (SELECT COUNT(*) AS uses FROM dbo.redemptions r
                 WHERE r.code = c.code AND r.kind <> 'referral' AND r.status NOT IN ('reversed', 'expired')) n
    WHERE c.program_id = @program_id AND c.max_redemptions IS NULL AND c.reward_count <> n.uses;
END;
