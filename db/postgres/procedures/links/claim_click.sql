-- A new customer claims the click that brought them (deferred deep link, from the app's first start). One claim per
-- customer, the first wins: a repeat answers the stored claim, whatever it asks. By p_click_id (Android's install
-- referrer): that click, of any age (its id is unguessable, and a claim reveals only its code, which was public in the
-- link). Else by fingerprint: the newest click within the last p_window_minutes from the caller's address hash (today's,
-- or p_earlier_ip_hash, yesterday's, when the window reaches back into it) on p_platform, one whose os_version is
-- p_os_version first. Status not_found when nothing matches (and nothing is stored).
-- Locks: none but the claim's own key (the insert); a concurrent first claim of the same customer wins, and this one
-- then answers it. The window ends at p_now, the service's clock, which also chose the day of the address hashes.
DROP FUNCTION IF EXISTS claim_click(varchar, uuid, bytea, bytea, varchar, varchar, integer);
CREATE OR REPLACE FUNCTION claim_click(
    p_customer_id varchar, p_click_id uuid, p_ip_hash bytea, p_earlier_ip_hash bytea, p_platform varchar,
    p_os_version varchar, p_window_minutes integer, p_now timestamptz)
RETURNS SETOF attribution_claim_row
LANGUAGE plpgsql AS $$
DECLARE
    v_click_id uuid;
    v_code varchar(32);
    v_matched_by varchar(12);
    v_result attribution_claim_row;
BEGIN
    SELECT 'ok', a.code, a.click_id, a.matched_by INTO v_result
    FROM attribution_claims a WHERE a.customer_id = p_customer_id;
    IF FOUND THEN
        RETURN NEXT v_result;
        RETURN;
    END IF;

    IF p_click_id IS NOT NULL THEN
        SELECT k.id, k.code, 'click_id' INTO v_click_id, v_code, v_matched_by
        FROM clicks k WHERE k.id = p_click_id;
    ELSE
        -- clicks_fingerprint_ix: the window's clicks of one or two address hashes on one platform (a handful).
        SELECT k.id, k.code, 'fingerprint' INTO v_click_id, v_code, v_matched_by
        FROM clicks k
        WHERE k.ip_hash IN (p_ip_hash, p_earlier_ip_hash) AND k.platform = p_platform
          AND k.clicked_at >= p_now - make_interval(mins => p_window_minutes)
        ORDER BY (p_os_version IS NOT NULL AND k.os_version IS NOT NULL AND k.os_version = p_os_version) DESC,
                 k.clicked_at DESC, k.id DESC
        LIMIT 1;
    END IF;
    IF v_click_id IS NULL THEN
        v_result.status := 'not_found';
        RETURN NEXT v_result;
        RETURN;
    END IF;

    INSERT INTO attribution_claims (customer_id, click_id, code, matched_by, claimed_at)
    VALUES (p_customer_id, v_click_id, v_code, v_matched_by, p_now)
    ON CONFLICT (customer_id) DO NOTHING
    RETURNING 'ok', code, click_id, matched_by INTO v_result;
    IF NOT FOUND THEN
        -- A concurrent first claim got there first: it is the customer's claim.
        SELECT 'ok', a.code, a.click_id, a.matched_by INTO v_result
        FROM attribution_claims a WHERE a.customer_id = p_customer_id;
    END IF;
    RETURN NEXT v_result;
END;
$$;
