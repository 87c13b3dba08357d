-- Writes a batch of clicks from the redirect's queue in one set-based insert; answers how many rows it added.
-- p_clicks is a JSON array of objects named as the columns (ip_hash in base64), passed as text (Npgsql sends a
-- string as text, which has no implicit cast to jsonb) and read with jsonb_to_recordset. The ids are made by the
-- service, so a batch sent again after a lost connection adds nothing twice (ON CONFLICT DO NOTHING).
CREATE OR REPLACE FUNCTION record_clicks(p_clicks text)
RETURNS TABLE (written integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_written integer;
BEGIN
    INSERT INTO clicks (id, code, program_id, clicked_at, ip_hash, platform, os_version, browser, referer_host,
                        utm_source, utm_medium, utm_campaign, utm_term, utm_content)
    SELECT j.id, j.code, j.program_id, j.clicked_at, decode(j.ip_hash, 'base64'), j.platform, j.os_version, j.browser,
           j.referer_host, j.utm_source, j.utm_medium, j.utm_campaign, j.utm_term, j.utm_content
    FROM jsonb_to_recordset(p_clicks::jsonb) AS j (
        id uuid, code varchar(32), program_id uuid, clicked_at timestamptz, ip_hash text, platform varchar(10),
        os_version varchar(20), browser varchar(50), referer_host varchar(255), utm_source varchar(200),
        utm_medium varchar(200), utm_campaign varchar(200), utm_term varchar(200), utm_content varchar(200))
    ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS v_written = ROW_COUNT;
    written := v_written;
    RETURN NEXT;
END;
$$;
