-- Claims an unfinished batch for a worker until now + p_lease_seconds: the given one (p_id), or with
-- p_id NULL the oldest one free to take. Free: pending, running under a lease that has run out (its
-- worker stopped or crashed), or held by this very worker (after a fault it takes its batch back at
-- once). SKIP LOCKED: two instances claiming at once take different batches and never wait for each
-- other. status 'not_found' when there is none to take.
CREATE OR REPLACE FUNCTION claim_code_batch(p_id uuid, p_worker uuid, p_lease_seconds integer)
RETURNS SETOF code_batch_row
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid;
    v_result code_batch_row;
BEGIN
    SELECT b.id INTO v_id
    FROM code_batches b
    WHERE b.status IN ('pending', 'running')
      AND (b.lease_until IS NULL OR b.lease_until < clock_timestamp() OR b.claimed_by = p_worker)
      AND (p_id IS NULL OR b.id = p_id)
    ORDER BY b.created_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED;

    IF v_id IS NULL THEN
        v_result.status := 'not_found';
    ELSE
        UPDATE code_batches
        SET status = 'running', claimed_by = p_worker,
            lease_until = clock_timestamp() + make_interval(secs => p_lease_seconds), updated_at = now()
        WHERE id = v_id;
        v_result := code_batch_view(v_id);
    END IF;
    RETURN NEXT v_result;
END;
$$;
