-- A stored idempotency outcome back as a redemption_row.
-- PL/pgSQL so that its plan is cached for the session (see add_to_account.sql).
-- An outcome stored before 0007 (keys live 24 hours) has no kind or discount: it was a referral redemption; one stored
-- before 0011 has no click_id, which reads as NULL (it had none), and one stored before 0013 no qualify_by, available_at
-- or expired_at (NULL: it had none).
CREATE OR REPLACE FUNCTION redemption_from_json(p_outcome text)
RETURNS redemption_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_row redemption_row := jsonb_populate_record(NULL::redemption_row, p_outcome::jsonb);
BEGIN
    IF v_row.id IS NOT NULL THEN
        v_row.kind := COALESCE(v_row.kind, 'referral');
        v_row.discount := COALESCE(v_row.discount, 0);
    END IF;
    RETURN v_row;
END;
$$;
