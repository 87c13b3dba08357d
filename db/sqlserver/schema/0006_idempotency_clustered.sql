-- idempotency_keys was a heap: the purge deletes old keys (dbo.purge_idempotency_keys), and a heap keeps
-- the pages a DELETE empties allocated to the table (unless the delete takes a table lock), so the table
-- would only grow. Clustered on created_at, the purge order: keys are written in about that order, the
-- purge removes whole leading pages, which the clustered index gives back, and new keys fill the last
-- page. The primary key (caller_id, key) stays nonclustered (910 bytes is over a clustered key's 900).
-- Building the clustered index rewrites the table and its nonclustered indexes once, under a table lock.
-- The created_at index of 0004 is the clustered index now. PostgreSQL's 0006 is empty: a VACUUM there makes
-- the space of deleted rows reusable (db/postgres/schema/0006_idempotency_clustered.sql says so).
-- On a large table, run it in a quiet hour (size: EXEC sp_spaceused N'dbo.idempotency_keys'); DbUp allows an
-- hour per script. Safe to re-run, and to find already done by hand.
IF EXISTS (SELECT 1 FROM sys.indexes WHERE object_id = OBJECT_ID(N'dbo.idempotency_keys') AND name = N'idempotency_keys_created_ix')
    DROP INDEX idempotency_keys_created_ix ON dbo.idempotency_keys;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE object_id = OBJECT_ID(N'dbo.idempotency_keys') AND type = 1)
    CREATE CLUSTERED INDEX idempotency_keys_created_cx ON dbo.idempotency_keys (created_at) WITH (SORT_IN_TEMPDB = ON);
