-- A program's promo/partner codes start counting their uses (referral_codes.reward_count) when the program
-- gets a per-code limit: the count is set from the live (not reversed or expired) redemptions of each code that has
-- no limit of its own (a code with one was counted already). The caller holds the program's row lock.
-- A redemption of an unlimited code does not lock the code, so one committing while this runs may go
-- uncounted: a limit set while a code is in use counts the uses committed at that moment.
CREATE OR REPLACE FUNCTION recount_code_uses(p_program_id uuid)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- Only rows whose count changes are written (a batch program has many codes never used).
    UPDATE referral_codes c
    SET reward_count = n.uses
    FROM referral_codes k
    CROSS JOIN LATERAL (SELECT count(*)::integer AS uses FROM redemptions r
                        WHERE r.code = k.code AND r.kind <> 'referral' AND r.status NOT IN ('reversed', 'expired')) n
    WHERE k.program_id = p_program_id AND k.max_redemptions IS NULL AND c.code = k.code AND c.reward_count <> n.uses;
END;
$$;
