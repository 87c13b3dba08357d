-- Less work per write (the PostgreSQL twin is db/postgres/schema/0003_lean_writes.sql):
-- only pending transfers are ever looked up by redemption, and nothing looks transfers up by spend.
-- (PostgreSQL's fillfactor change has no counterpart: SQL Server updates rows in place.)
DROP INDEX transfers_redemption_ix ON dbo.transfers;
CREATE INDEX transfers_pending_by_redemption ON dbo.transfers (redemption_id) WHERE phase = 'pending';
DROP INDEX transfers_spend_ix ON dbo.transfers;

-- The foreign keys from a redemption to its code and from a 'post'/'void' row to its pending
-- transfer: only the procedures write these rows, and dbo.ledger_check proves both references.
ALTER TABLE dbo.redemptions DROP CONSTRAINT redemptions_code_fkey;
ALTER TABLE dbo.transfers DROP CONSTRAINT transfers_pending_id_fkey;
