-- Forgets up to p_batch_size idempotency keys written before p_before; answers how many it deleted.
-- The service's purge job calls it in batches, each its own short transaction, until a batch comes
-- back short. Business effects stay guarded by their natural keys after their key is gone.
CREATE OR REPLACE FUNCTION purge_idempotency_keys(p_before timestamptz, p_batch_size integer)
RETURNS TABLE (purged integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_purged integer;
BEGIN
    DELETE FROM idempotency_keys k
    WHERE (k.caller_id, k.key) IN (
        SELECT o.caller_id, o.key FROM idempotency_keys o WHERE o.created_at < p_before LIMIT p_batch_size);
    GET DIAGNOSTICS v_purged = ROW_COUNT;
    purged := v_purged;
    RETURN NEXT;
END;
$$;
