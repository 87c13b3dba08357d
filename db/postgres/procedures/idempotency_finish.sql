-- Stores the outcome of the request that claimed the key, in the same transaction as its effect.
CREATE OR REPLACE FUNCTION idempotency_finish(p_caller_id varchar, p_idempotency_key varchar, p_outcome text)
RETURNS void
LANGUAGE sql AS $$
    UPDATE idempotency_keys SET outcome = p_outcome
    WHERE caller_id = p_caller_id AND key = p_idempotency_key;
$$;
