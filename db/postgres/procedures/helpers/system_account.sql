-- Returns the id of a funding or spent account, creating it on first use. Its balance is derived
-- from transfers and never stored, so this row is read, never updated: no hot row.
CREATE OR REPLACE FUNCTION system_account(p_kind varchar, p_owner_id varchar, p_currency char)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    SELECT a.id INTO v_id FROM accounts a
    WHERE a.kind = p_kind AND a.owner_id = p_owner_id AND a.currency = p_currency;
    IF v_id IS NULL THEN
        INSERT INTO accounts (kind, owner_id, currency, created_at)
        VALUES (p_kind, p_owner_id, p_currency, now())
        ON CONFLICT (kind, owner_id, currency) DO NOTHING
        RETURNING id INTO v_id;
        IF v_id IS NULL THEN
            SELECT a.id INTO v_id FROM accounts a
            WHERE a.kind = p_kind AND a.owner_id = p_owner_id AND a.currency = p_currency;
        END IF;
    END IF;
    RETURN v_id;
END;
$$;
