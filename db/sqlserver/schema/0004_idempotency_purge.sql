-- Idempotency keys are kept for 24 h (DESIGN §4), then dbo.purge_idempotency_keys deletes them in
-- batches; this index finds the old ones (the PostgreSQL twin uses a BRIN index:
-- db/postgres/schema/0004_idempotency_purge.sql).
CREATE INDEX idempotency_keys_created_ix ON dbo.idempotency_keys (created_at);
