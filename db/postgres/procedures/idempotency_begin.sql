-- Claims an idempotency key inside the caller's transaction. A concurrent holder of the same key
-- makes the insert wait for its commit, so the loser then sees the stored outcome and replays.
CREATE OR REPLACE FUNCTION idempotency_begin(
    p_caller_id varchar, p_idempotency_key varchar, p_operation varchar, p_request_hash char,
    OUT state varchar, OUT outcome text)
LANGUAGE plpgsql AS $$
DECLARE
    v_hash char(64);
BEGIN
    INSERT INTO idempotency_keys (caller_id, key, operation, request_hash, created_at)
    VALUES (p_caller_id, p_idempotency_key, p_operation, p_request_hash, now())
    ON CONFLICT (caller_id, key) DO NOTHING;
    IF FOUND THEN
        state := 'new';
        RETURN;
    END IF;
    SELECT k.request_hash, k.outcome INTO v_hash, outcome
    FROM idempotency_keys k
    WHERE k.caller_id = p_caller_id AND k.key = p_idempotency_key;
    state := CASE WHEN v_hash = p_request_hash THEN 'replay' ELSE 'reused' END;
    IF state = 'reused' THEN
        outcome := NULL;
    END IF;
END;
$$;
