-- What the share-link redirect (/r/{code}) needs about a code: its program, whether the code is usable, whether the
-- program is running, and where each platform goes. No row when the code does not exist. The service decides (and
-- caches the answer for Links:CodeCacheSeconds), so expiry and program dates are compared with its clock. Reads
-- two rows by key; takes no locks.
CREATE OR REPLACE FUNCTION get_link_target(p_code varchar)
RETURNS SETOF link_target_row
LANGUAGE sql STABLE AS $$
    SELECT p.id, c.status, c.expires_at, p.status, p.starts_at, p.ends_at,
           p.landing_url, p.ios_app_store_url, p.android_package
    FROM referral_codes c
    JOIN programs p ON p.id = c.program_id
    WHERE c.code = p_code;
$$;
