-- A code batch as its result row (status 'ok'); all columns NULL when there is none.
-- PL/pgSQL so that its plan is cached for the session (see add_to_account.sql).
CREATE OR REPLACE FUNCTION code_batch_view(p_id uuid)
RETURNS code_batch_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_row code_batch_row;
BEGIN
    SELECT 'ok', b.id, b.program_id, b.pattern, b.code_count, b.generated, b.status, b.max_redemptions,
           b.expires_at, b.failure_reason, b.created_at, b.updated_at, b.completed_at
    INTO v_row
    FROM code_batches b
    WHERE b.id = p_id;
    RETURN v_row;
END;
$$;
