-- Recounts reward_count, the live (not reversed) uses, of every code of a promo or partner program that has no
-- limit of its own, from the program's redemptions. redeem keeps that count only while a code has an effective
-- limit, so update_program calls this when the program's per-code limit goes from none to a value, in its
-- transaction, with the program row locked. A referral program's codes are left alone (their count is always
-- kept); only codes whose count is wrong are written (and so locked), not every code of a million-code batch.
-- A redemption of an unlimited code does not lock the code, so one committing while this runs may go uncounted.
CREATE OR REPLACE FUNCTION recount_code_uses(p_program_id uuid)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE referral_codes c
    SET reward_count = x.uses
    FROM (
        SELECT k.code, COALESCE(u.uses, 0) AS uses
        FROM referral_codes k
        JOIN programs p ON p.id = k.program_id AND p.kind <> 'referral'
        LEFT JOIN (
            -- The program's uses by code, through redemptions_customer_ix (program_id, ...) WHERE kind <> 'referral'.
            SELECT r.code, count(*)::integer AS uses
            FROM redemptions r
            WHERE r.program_id = p_program_id AND r.kind <> 'referral' AND r.status <> 'reversed'
            GROUP BY r.code
        ) u ON u.code = k.code
        WHERE k.program_id = p_program_id AND k.max_redemptions IS NULL
    ) x
    WHERE c.code = x.code AND c.max_redemptions IS NULL AND c.reward_count <> x.uses;
END;
$$;
