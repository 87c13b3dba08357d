-- Fewer index entries per write (the PostgreSQL twin is db/postgres/schema/0002_lean_writes.sql):
-- only pending transfers are ever looked up by redemption, and nothing looks transfers up by spend.
-- (PostgreSQL's fillfactor change has no counterpart: SQL Server updates rows in place.)
DROP INDEX transfers_redemption_ix ON dbo.transfers;
CREATE INDEX transfers_pending_by_redemption ON dbo.transfers (redemption_id) WHERE phase = 'pending';
DROP INDEX transfers_spend_ix ON dbo.transfers;
