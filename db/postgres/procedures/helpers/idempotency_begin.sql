-- The answer a keyed request already has, in outcome as the JSON of its result row: the stored outcome
-- when this very request was answered before (a replay), {"status": "idempotency_key_reused"} when the
-- key answered another request; NULL when there is no key or the key is new, and the caller does its
-- work. state says which ('new', 'replay', 'reused'). Takes no lock: the key is written by
-- idempotency_finish, in the same transaction as the effect.
CREATE OR REPLACE FUNCTION idempotency_begin(
    p_caller_id varchar, p_idempotency_key varchar, p_operation varchar, p_request_hash char,
    OUT state varchar, OUT outcome text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_hash char(64);
BEGIN
    state := 'new';
    IF p_idempotency_key IS NULL THEN
        RETURN;
    END IF;
    SELECT k.request_hash, k.outcome INTO v_hash, outcome
    FROM idempotency_keys k
    WHERE k.caller_id = p_caller_id AND k.key = p_idempotency_key;
    state := CASE WHEN v_hash IS NULL THEN 'new' WHEN v_hash = p_request_hash THEN 'replay' ELSE 'reused' END;
    IF state = 'reused' THEN
        outcome := '{"status": "idempotency_key_reused"}';
    END IF;
END;
$$;
