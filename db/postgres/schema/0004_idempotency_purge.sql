-- Idempotency keys are kept for 24 h (DESIGN §4), then purge_idempotency_keys() deletes them in batches.
-- Journaled as 0003_idempotency_purge.sql by earlier releases: the migration records the new name first
-- (Migrations.RenamedSchemaScripts, README "Schema scripts"), so it does not run again.
-- Rows are appended in created_at order, so a BRIN index finds the old ones for a few pages of index,
-- and costs an insert almost nothing (only summarized page ranges are ever updated).
CREATE INDEX idempotency_keys_created_brin ON idempotency_keys USING brin (created_at);
