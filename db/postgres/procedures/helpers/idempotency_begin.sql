-- Looks the idempotency key up: 'new' (never seen), 'replay' (outcome is the stored answer to this
-- very request) or 'reused' (the key answered another request). Takes no lock: the key is written
-- by idempotency_finish, in the same transaction as the effect.
CREATE OR REPLACE FUNCTION idempotency_begin(
    p_caller_id varchar, p_idempotency_key varchar, p_operation varchar, p_request_hash char,
    OUT state varchar, OUT outcome text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_hash char(64);
BEGIN
    SELECT k.request_hash, k.outcome INTO v_hash, outcome
    FROM idempotency_keys k
    WHERE k.caller_id = p_caller_id AND k.key = p_idempotency_key;
    state := CASE WHEN v_hash IS NULL THEN 'new' WHEN v_hash = p_request_hash THEN 'replay' ELSE 'reused' END;
    IF state <> 'replay' THEN
        outcome := NULL;
    END IF;
END;
$$;
