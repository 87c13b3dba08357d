-- Changes a code's status, limit or expiry; NULL arguments leave a field as it is (a limit can be set or changed,
-- never removed). redeem counts a promo or partner code's live uses in reward_count only while the code has an
-- effective limit (its own, else its program's per-code limit), so setting a limit where there was none first
-- recounts them from the redemptions, under the code's row lock, in this transaction. A referral code's
-- reward_count is always kept (the referrer cap) and is left alone. redeem only reads a code without a limit (no
-- hot row), so a redemption that read it before this lock and commits after it is not counted.
CREATE OR REPLACE FUNCTION update_code(p_code varchar, p_status varchar, p_max_redemptions integer, p_expires_at timestamptz)
RETURNS SETOF code_row
LANGUAGE plpgsql AS $$
DECLARE
    v_kind varchar(10);
    v_limit integer;
    v_result code_row;
BEGIN
    -- The code's row lock (the program row is only read): the limit it had decides the recount.
    SELECT p.kind, COALESCE(c.max_redemptions, p.max_redemptions_per_code) INTO v_kind, v_limit
    FROM referral_codes c JOIN programs p ON p.id = c.program_id
    WHERE c.code = p_code
    FOR UPDATE OF c;
    IF NOT FOUND THEN
        v_result.status := 'code_not_found';
        RETURN NEXT v_result;
        RETURN;
    END IF;

    UPDATE referral_codes c
    SET status = COALESCE(p_status, c.status),
        max_redemptions = COALESCE(p_max_redemptions, c.max_redemptions),
        expires_at = COALESCE(p_expires_at, c.expires_at),
        reward_count = CASE
            WHEN p_max_redemptions IS NOT NULL AND v_limit IS NULL AND v_kind <> 'referral' THEN (
                SELECT count(*) FROM redemptions r
                WHERE r.code = p_code AND r.kind <> 'referral' AND r.status NOT IN ('reversed', 'expired'))
            ELSE c.reward_count
        END
    WHERE c.code = p_code
    RETURNING 'ok', c.code, c.program_id, c.owner_id, c.source, c.status, c.max_redemptions, c.expires_at, c.batch_id,
              c.created_at
    INTO v_result;
    RETURN NEXT v_result;
END;
$$;
