-- Seeds credit lots for the expiry benchmark, set-based, in one transaction (1,000,000 lots: ~1 minute on 2 cores).
--   psql -v ON_ERROR_STOP=1 -v customers=50000 -v lots=20 -v due_every=10 -f bench/seed-lots.sql
-- customers x lots lots of 1000 minor units (USD) on customers bench-lot-1..N, every due_every-th lot of each
-- customer already expired (due: 10% with due_every=10, spread over the last day so due order matters), the rest
-- expiring in 30-60 days. Each lot has its posted transfer from the program's funding account and the accounts
-- carry the balances, so ledger_check stays clean before and after expiry. The program's breakage account exists
-- up front, so the runner and the direct statement below do the same work.
--   psql ... -v expire_directly=1 -f bench/seed-lots.sql   (no seeding: the baseline, one set-based statement
--   expiring every lot due now, exactly what the runner's expire_credit_lots passes do)
\if :{?expire_directly}
\timing on
WITH due AS (
    SELECT l.id, l.remaining
    FROM credit_lots l
    WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= now()
    FOR UPDATE
), expired AS (
    UPDATE credit_lots l SET remaining = 0
    FROM due
    WHERE l.id = due.id
    RETURNING l.id, l.account_id, due.remaining AS amount, l.currency, l.program_id, l.redemption_id
), moved AS (
    INSERT INTO lot_movements (lot_id, kind, amount, redemption_id, created_at)
    SELECT e.id, 'expiry', -e.amount, e.redemption_id, now() FROM expired e
), booked AS (
    INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                           redemption_id, created_at)
    SELECT e.account_id, b.id, e.account_id, e.amount, e.currency, 'posted', 'expiry', e.redemption_id, now()
    FROM expired e
    JOIN accounts b ON b.kind = 'breakage' AND b.owner_id = COALESCE(e.program_id::text, '') AND b.currency = e.currency
)
UPDATE accounts a SET debits_posted = a.debits_posted + s.amount
FROM (SELECT e.account_id, SUM(e.amount) AS amount FROM expired e GROUP BY e.account_id) s
WHERE a.id = s.account_id;
\else
\set program '\'b0000000-0000-4000-8000-00000000b0b0\''
BEGIN;
INSERT INTO accounts (kind, owner_id, currency, created_at)
VALUES ('funding', :program, 'USD', now()), ('breakage', :program, 'USD', now())
ON CONFLICT (kind, owner_id, currency) DO NOTHING;
SELECT id AS funding FROM accounts WHERE kind = 'funding' AND owner_id = :program AND currency = 'USD' \gset

INSERT INTO accounts (kind, owner_id, currency, credits_posted, created_at)
SELECT 'customer', 'bench-lot-' || c, 'USD', :lots * 1000, now() - interval '60 days'
FROM generate_series(1, :customers) c;

-- Lot n of each customer; lots of different customers interleave in id order, as grants do.
CREATE TEMPORARY TABLE seed_lots ON COMMIT DROP AS
SELECT a.id AS account_id, n,
       CASE WHEN n % :due_every = 0
            THEN now() - make_interval(secs => ((a.id * 7919 + n) % 86400)::double precision)
            ELSE now() + make_interval(days => 30 + ((a.id + n) % 30)::integer)
       END AS expires_at
FROM accounts a CROSS JOIN generate_series(1, :lots) n
WHERE a.kind = 'customer' AND a.owner_id LIKE 'bench-lot-%';

INSERT INTO transfers (debit_account_id, credit_account_id, customer_account_id, amount, currency, phase, kind,
                       created_at)
SELECT :funding, s.account_id, s.account_id, 1000, 'USD', 'posted', 'referee_reward', now() - interval '60 days'
FROM seed_lots s
ORDER BY s.n, s.account_id;

INSERT INTO credit_lots (account_id, currency, program_id, redemption_id, granted, remaining, expires_at, created_at)
SELECT s.account_id, 'USD', :program, NULL, 1000, 1000, s.expires_at, now() - interval '60 days'
FROM seed_lots s
ORDER BY s.n, s.account_id;
COMMIT;
VACUUM ANALYZE accounts;
VACUUM ANALYZE credit_lots;
VACUUM ANALYZE transfers;
SELECT count(*) AS lots, count(*) FILTER (WHERE expires_at <= now()) AS due FROM credit_lots WHERE remaining > 0;
\endif
