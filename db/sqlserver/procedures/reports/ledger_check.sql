-- Reconciliation over the whole ledger: one row per violation of DESIGN.md invariants 1-3, of "credit
-- pays what is owed first" (nobody holds available credit and an unsettled shortfall in one currency),
-- transfers whose accounts are in another currency, and the references the schema leaves to the
-- procedures instead of foreign keys. No rows means the ledger is sound.
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
    ) AS v;
END;
