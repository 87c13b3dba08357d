-- The salt of a UTC day's visitor hashes: p_candidate becomes it if the day has none yet (the first instance to
-- ask wins; every other gets the stored one). Salts of days before p_keep_from are deleted on the way, after which
-- no hash made with them can be tied to an address again.
CREATE OR REPLACE FUNCTION get_click_salt(p_day date, p_candidate bytea, p_keep_from date)
RETURNS SETOF click_salt_row
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO click_salts (day, salt) VALUES (p_day, p_candidate) ON CONFLICT (day) DO NOTHING;
    DELETE FROM click_salts s WHERE s.day < p_keep_from;
    RETURN QUERY SELECT s.salt FROM click_salts s WHERE s.day = p_day;
END;
$$;
