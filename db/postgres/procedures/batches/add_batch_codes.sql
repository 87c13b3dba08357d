-- One chunk of a batch: inserts the drawn codes that are free, up to what the batch still lacks, and
-- adds them to generated, in one transaction (a crash between chunks loses nothing, and a code is
-- never generated twice). Drawn codes that exist already (any program, any source) are skipped; the
-- worker draws again for them. Renews the worker's lease. status 'invalid_state' when this worker no
-- longer holds the batch (its lease ran out and another took it, or it is finished): nothing written.
-- The batch row is locked first, so chunks of one batch never interleave. completed_at and updated_at are
-- the time of the write (clock_timestamp), not of the transaction's start: a batch's duration includes its last chunk.
CREATE OR REPLACE FUNCTION add_batch_codes(p_id uuid, p_worker uuid, p_lease_seconds integer, p_codes varchar[])
RETURNS SETOF code_batch_row
LANGUAGE plpgsql AS $$
DECLARE
    v_batch code_batches%ROWTYPE;
    v_inserted integer;
    v_result code_batch_row;
BEGIN
    SELECT b.* INTO v_batch FROM code_batches b WHERE b.id = p_id FOR UPDATE;
    IF v_batch.id IS NULL OR v_batch.status <> 'running' OR v_batch.claimed_by IS DISTINCT FROM p_worker THEN
        v_result.status := 'invalid_state';
        RETURN NEXT v_result;
        RETURN;
    END IF;

    INSERT INTO referral_codes (code, program_id, owner_id, source, status, max_redemptions, expires_at, batch_id, created_at)
    SELECT c.code, v_batch.program_id, NULL, 'batch', 'active', v_batch.max_redemptions, v_batch.expires_at, p_id, now()
    FROM unnest(p_codes) AS c (code)
    LIMIT v_batch.code_count - v_batch.generated
    ON CONFLICT (code) DO NOTHING;
    GET DIAGNOSTICS v_inserted = ROW_COUNT;

    UPDATE code_batches
    SET generated = generated + v_inserted,
        status = CASE WHEN generated + v_inserted = code_count THEN 'completed' ELSE 'running' END,
        completed_at = CASE WHEN generated + v_inserted = code_count THEN clock_timestamp() END,
        claimed_by = CASE WHEN generated + v_inserted = code_count THEN NULL ELSE claimed_by END,
        lease_until = CASE WHEN generated + v_inserted = code_count THEN NULL
                           ELSE clock_timestamp() + make_interval(secs => p_lease_seconds) END,
        updated_at = clock_timestamp()
    WHERE id = p_id;
    v_result := code_batch_view(p_id);
    RETURN NEXT v_result;
END;
$$;
