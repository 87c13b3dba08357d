-- Reconciliation over the whole ledger: one row per violation of DESIGN.md invariants 1-3, of "credit
-- pays what is owed first" (nobody holds available credit and an unsettled shortfall in one currency),
-- transfers whose accounts are in another currency, and the references the schema leaves to the
-- procedures instead of foreign keys; of credit lots and program budgets (PG's ledger_check.sql says which).
-- No rows means the ledger is sound.
-- A procedure cannot be selected from, so the trial balance (PG: FROM trial_balance()) is the same query
-- as dbo.trial_balance, repeated here as the CTEs live, tb_legs and tb. Sums are decimal(38, 0).
-- Snapshot isolation: every branch reads the same point in time (see dbo.trial_balance).
-- Every branch's detail carries an explicit collation: UNION ALL of strings built from columns of
-- different collations (transfers.phase has the database's, ids and currencies a binary one) has no
-- collation of its own, which SQL Server refuses when it creates the procedure (Msg 451).
CREATE OR ALTER PROCEDURE dbo.ledger_check
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    -- Inside a caller's transaction the level cannot change (Msg 3951): read in the caller's, as PG does.
    IF @@TRANCOUNT = 0 SET TRANSACTION ISOLATION LEVEL SNAPSHOT;

    -- One pass over the ledger: each transfer with the row (if any) that posted or voided it.
    WITH legs AS (
        SELECT t.debit_account_id, t.credit_account_id,
               CASE WHEN t.phase IN ('posted', 'post') THEN CAST(t.amount AS decimal(38, 0)) ELSE 0 END AS posted,
               CASE WHEN t.phase = 'pending' AND r.id IS NULL THEN CAST(t.amount AS decimal(38, 0)) ELSE 0 END AS pending
        FROM dbo.transfers t
        LEFT JOIN dbo.transfers r ON r.pending_id = t.id
    ), effect AS (
        SELECT l.credit_account_id AS account_id, l.posted AS credits_posted, CAST(0 AS decimal(38, 0)) AS debits_posted,
               l.pending AS credits_pending, CAST(0 AS decimal(38, 0)) AS debits_pending
        FROM legs l
        UNION ALL
        SELECT l.debit_account_id, 0, l.posted, 0, l.pending
        FROM legs l
    ), derived AS (
        SELECT e.account_id, SUM(e.credits_posted) AS credits_posted, SUM(e.debits_posted) AS debits_posted,
               SUM(e.credits_pending) AS credits_pending, SUM(e.debits_pending) AS debits_pending
        FROM effect e GROUP BY e.account_id
    ), live AS (
        SELECT t.id, t.debit_account_id, t.credit_account_id, CAST(t.amount AS decimal(38, 0)) AS amount,
               CASE WHEN t.phase IN ('posted', 'post') THEN 'posted' ELSE 'pending' END AS bucket
        FROM dbo.transfers t
        WHERE t.phase IN ('posted', 'post')
           OR (t.phase = 'pending' AND NOT EXISTS (SELECT 1 FROM dbo.transfers r WHERE r.pending_id = t.id))
    ), tb_legs AS (
        SELECT a.currency, l.bucket, l.amount AS debit, CAST(0 AS decimal(38, 0)) AS credit
        FROM live l JOIN dbo.accounts a ON a.id = l.debit_account_id
        UNION ALL
        SELECT a.currency, l.bucket, CAST(0 AS decimal(38, 0)), l.amount
        FROM live l JOIN dbo.accounts a ON a.id = l.credit_account_id
    ), tb AS (
        SELECT currency,
               SUM(CASE WHEN bucket = 'posted' THEN debit ELSE 0 END) AS posted_debits,
               SUM(CASE WHEN bucket = 'posted' THEN credit ELSE 0 END) AS posted_credits,
               SUM(CASE WHEN bucket = 'pending' THEN debit ELSE 0 END) AS pending_debits,
               SUM(CASE WHEN bucket = 'pending' THEN credit ELSE 0 END) AS pending_credits
        FROM tb_legs
        GROUP BY currency
    )
    SELECT v.invariant, v.account_id, v.currency, v.detail
    FROM (
        SELECT CAST('currency_balanced' AS varchar(40)) AS invariant, CAST(NULL AS bigint) AS account_id,
               tb.currency,
               CAST(CONCAT(N'posted ', tb.posted_debits, N'/', tb.posted_credits, N', pending ', tb.pending_debits,
                           N'/', tb.pending_credits, N' (debits/credits)') AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2 AS detail
        FROM tb
        WHERE tb.posted_debits <> tb.posted_credits OR tb.pending_debits <> tb.pending_credits
        UNION ALL
        SELECT 'stored_balance_matches', a.id, a.currency,
               CAST(CONCAT(N'stored ', a.credits_posted, N'/', a.debits_posted, N'/', a.credits_pending, N'/',
                           a.debits_pending, N', from transfers ', COALESCE(d.credits_posted, 0), N'/',
                           COALESCE(d.debits_posted, 0), N'/', COALESCE(d.credits_pending, 0), N'/',
                           COALESCE(d.debits_pending, 0),
                           N' (credits/debits posted, credits/debits pending)') AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.accounts a LEFT JOIN derived d ON d.account_id = a.id
        WHERE a.kind IN ('customer', 'receivable')
          AND (a.credits_posted <> COALESCE(d.credits_posted, 0) OR a.debits_posted <> COALESCE(d.debits_posted, 0)
            OR a.credits_pending <> COALESCE(d.credits_pending, 0) OR a.debits_pending <> COALESCE(d.debits_pending, 0))
        UNION ALL
        SELECT 'available_not_negative', a.id, a.currency,
               CAST(CONCAT(N'available ', a.credits_posted - a.debits_posted) AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.accounts a
        WHERE a.kind = 'customer' AND a.credits_posted < a.debits_posted
        UNION ALL
        SELECT 'no_credit_while_owing', a.id, a.currency,
               CAST(CONCAT(N'available ', a.credits_posted - a.debits_posted, N' while owing ',
                           r.debits_posted - r.credits_posted) AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.accounts a
        JOIN dbo.accounts r ON r.kind = 'receivable' AND r.owner_id = a.owner_id AND r.currency = a.currency
        WHERE a.kind = 'customer' AND a.credits_posted > a.debits_posted AND r.debits_posted > r.credits_posted
        UNION ALL
        SELECT 'transfer_currency_matches', CASE WHEN d.currency <> t.currency THEN d.id ELSE c.id END, t.currency,
               CAST(CONCAT(N'transfer ', t.id, N' is in ', t.currency, N', its account is not') AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.transfers t
        JOIN dbo.accounts d ON d.id = t.debit_account_id
        JOIN dbo.accounts c ON c.id = t.credit_account_id
        WHERE d.currency <> t.currency OR c.currency <> t.currency
        UNION ALL
        -- transfers carry no foreign keys to accounts (see the schema): prove the references here.
        SELECT 'transfer_accounts_exist', CAST(NULL AS bigint), t.currency,
               CAST(CONCAT(N'transfer ', t.id, N' names an account that does not exist') AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.transfers t
        WHERE NOT EXISTS (SELECT 1 FROM dbo.accounts a WHERE a.id = t.debit_account_id)
           OR NOT EXISTS (SELECT 1 FROM dbo.accounts a WHERE a.id = t.credit_account_id)
           OR NOT EXISTS (SELECT 1 FROM dbo.accounts a
                          WHERE a.id = t.customer_account_id AND a.kind IN ('customer', 'receivable'))
        UNION ALL
        -- Nor does a 'post' or 'void' row to the transfer it resolves (0003_lean_writes.sql).
        SELECT 'resolves_a_pending_transfer', r.customer_account_id, r.currency,
               CAST(CONCAT(N'transfer ', r.id, N' (', r.phase, N') names ', r.pending_id,
                           N', which is not a pending transfer') AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.transfers r
        WHERE r.pending_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM dbo.transfers t WHERE t.id = r.pending_id AND t.phase = 'pending')
        UNION ALL
        -- Nor a redemption to its referral code (same script).
        SELECT 'redemption_code_exists', CAST(NULL AS bigint), d.currency,
               CAST(CONCAT(N'redemption ', d.id, N' names code ', d.code, N', which does not exist') AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.redemptions d
        WHERE NOT EXISTS (SELECT 1 FROM dbo.referral_codes c WHERE c.code = d.code)
        UNION ALL
        -- Every lot: granted, changed by its movements, is what it holds, within [0, granted].
        SELECT 'lot_balanced', l.account_id, l.currency,
               CAST(CONCAT(N'lot ', l.id, N': granted ', l.granted, N', movements ', COALESCE(m.moved, 0),
                           N', remaining ', l.remaining) AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.credit_lots l
        LEFT JOIN (SELECT lm.lot_id, SUM(CAST(lm.amount AS decimal(38, 0))) AS moved
                   FROM dbo.lot_movements lm GROUP BY lm.lot_id) m
               ON m.lot_id = l.id
        WHERE l.remaining <> l.granted + COALESCE(m.moved, 0) OR l.remaining < 0 OR l.remaining > l.granted
        UNION ALL
        -- A customer account's lots hold exactly its posted balance.
        SELECT 'lots_match_balance', a.id, a.currency,
               CAST(CONCAT(N'posted balance ', a.credits_posted - a.debits_posted, N', its lots hold ',
                           COALESCE(s.remaining, 0)) AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.accounts a
        LEFT JOIN (SELECT l.account_id, SUM(CAST(l.remaining AS decimal(38, 0))) AS remaining
                   FROM dbo.credit_lots l GROUP BY l.account_id) s
               ON s.account_id = a.id
        WHERE a.kind = 'customer' AND a.credits_posted - a.debits_posted <> COALESCE(s.remaining, 0)
        UNION ALL
        -- Lots and movements carry no foreign keys either (0013_time.sql).
        SELECT 'lot_account_exists', l.account_id, l.currency,
               CAST(CONCAT(N'lot ', l.id, N' names account ', l.account_id, N', which is not a customer account in ',
                           l.currency) AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.credit_lots l
        WHERE NOT EXISTS (SELECT 1 FROM dbo.accounts a
                          WHERE a.id = l.account_id AND a.kind = 'customer' AND a.currency = l.currency)
        UNION ALL
        SELECT 'lot_movement_lot_exists', CAST(NULL AS bigint), CAST(NULL AS char(3)),
               CAST(CONCAT(N'lot movement ', lm.id, N' names lot ', lm.lot_id, N', which does not exist') AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.lot_movements lm
        WHERE NOT EXISTS (SELECT 1 FROM dbo.credit_lots l WHERE l.id = lm.lot_id)
        UNION ALL
        -- A program with a budget has committed what its live redemptions grant (rewards, commission, credit, discount).
        SELECT 'budget_committed_matches', CAST(NULL AS bigint), p.currency,
               CAST(CONCAT(N'program ', LOWER(CONVERT(nvarchar(36), p.id)), N': committed ', p.committed,
                           N', its live redemptions grant ', COALESCE(g.granted, 0), N' (budget ', p.budget, N')')
                    AS nvarchar(400))
                   COLLATE Latin1_General_100_BIN2
        FROM dbo.programs p
        LEFT JOIN (SELECT d.program_id,
                          SUM(CAST(d.referrer_reward AS decimal(38, 0)) + d.referee_reward + d.discount) AS granted
                   FROM dbo.redemptions d
                   WHERE d.status IN ('pending', 'held', 'rewarded', 'redeemed')
                   GROUP BY d.program_id) g
               ON g.program_id = p.id
        WHERE p.budget IS NOT NULL AND p.committed <> COALESCE(g.granted, 0)
    ) AS v;
END;
