-- A worker gives a batch back: on shutdown (another instance may resume it at once, without waiting for
-- the lease to run out), or with a reason when it cannot go on (status 'failed', final). Only the
-- worker holding the batch may; otherwise nothing changes ('invalid_state').
CREATE OR REPLACE FUNCTION release_code_batch(p_id uuid, p_worker uuid, p_failure_reason varchar)
RETURNS SETOF code_batch_row
LANGUAGE plpgsql AS $$
DECLARE
    v_result code_batch_row;
BEGIN
    UPDATE code_batches
    SET claimed_by = NULL, lease_until = NULL, updated_at = now(),
        status = CASE WHEN p_failure_reason IS NULL THEN status ELSE 'failed' END,
        failure_reason = p_failure_reason,
        completed_at = CASE WHEN p_failure_reason IS NULL THEN NULL ELSE now() END
    WHERE id = p_id AND status = 'running' AND claimed_by = p_worker;
    IF NOT FOUND THEN
        v_result.status := 'invalid_state';
    ELSE
        v_result := code_batch_view(p_id);
    END IF;
    RETURN NEXT v_result;
END;
$$;
