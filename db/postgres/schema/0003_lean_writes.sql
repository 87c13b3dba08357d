-- Less work per write (BENCHMARKS.md, "Why the writes are as fast as they are").
-- Journaled as 0002_lean_writes.sql by earlier releases: the migration records the new name first
-- (Migrations.RenamedSchemaScripts, README "Schema scripts"), so it does not run again.
-- * Rows updated in place by the write path leave room on their page, so PostgreSQL can update them
--   as heap-only tuples (HOT: no new index entries). Applies to pages written from now on.
-- * Only pending transfers are ever looked up by redemption (to post, void or reverse them); the
--   'post', 'void' and reversal rows no longer enter that index.
-- * Nothing looks transfers up by spend: that index only cost a write per spend.
ALTER TABLE accounts SET (fillfactor = 80);
ALTER TABLE referral_codes SET (fillfactor = 80);
ALTER TABLE redemptions SET (fillfactor = 85);

DROP INDEX transfers_redemption_ix;
CREATE INDEX transfers_pending_by_redemption ON transfers (redemption_id) WHERE phase = 'pending';
DROP INDEX transfers_spend_ix;

-- Two foreign keys whose checks ran a query and wrote a row lock on every redemption and every
-- posted or voided reward: a redemption's code (the code row is already locked by the cap update)
-- and a 'post'/'void' row's pending transfer. Only the procedures write these rows, and
-- ledger_check() proves both references, as it does for transfers' accounts.
ALTER TABLE redemptions DROP CONSTRAINT redemptions_code_fkey;
ALTER TABLE transfers DROP CONSTRAINT transfers_pending_id_fkey;
