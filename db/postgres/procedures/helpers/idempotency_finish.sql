-- Writes the key, the request hash and the outcome in the transaction of the effect they guard:
-- one row write per keyed request. When a concurrent request with the same key committed first,
-- the insert waits for it and then finds the key: this transaction is rolled back as a
-- serialization failure (40001), which the data layer retries, and the retry replays the winner.
CREATE OR REPLACE FUNCTION idempotency_finish(
    p_caller_id varchar, p_idempotency_key varchar, p_operation varchar, p_request_hash char, p_outcome text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO idempotency_keys (caller_id, key, operation, request_hash, outcome, created_at)
    VALUES (p_caller_id, p_idempotency_key, p_operation, p_request_hash, p_outcome, now())
    ON CONFLICT (caller_id, key) DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'idempotency key % was claimed by a concurrent request', p_idempotency_key
            USING ERRCODE = 'serialization_failure';
    END IF;
END;
$$;
