-- Reconciliation over the whole ledger: one row per violation of DESIGN.md invariants 1-3, of "credit
-- pays what is owed first" (nobody holds available credit and an unsettled shortfall in one currency),
-- transfers whose accounts are in another currency, and the references the schema leaves to the
-- procedures instead of foreign keys; of credit lots (each lot proved by its movements, each customer's lots
-- holding its posted balance) and of program budgets (committed is what live redemptions grant). Breakage
-- accounts are accounts like any other: the trial balance counts them. No rows means the ledger is sound.
-- Sums are numeric (no overflow).
CREATE OR REPLACE FUNCTION ledger_check()
RETURNS SETOF ledger_violation_row
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT v.invariant::varchar(40), v.account_id, v.currency::char(3), v.detail::varchar(400)
    FROM (
    -- One pass over the ledger: each transfer with the row (if any) that posted or voided it.
    WITH legs AS (
        SELECT t.debit_account_id, t.credit_account_id,
               CASE WHEN t.phase IN ('posted', 'post') THEN t.amount::numeric ELSE 0 END AS posted,
               CASE WHEN t.phase = 'pending' AND r.id IS NULL THEN t.amount::numeric ELSE 0 END AS pending
        FROM transfers t
        LEFT JOIN transfers r ON r.pending_id = t.id
    ), effect AS (
        SELECT l.credit_account_id AS account_id, l.posted AS credits_posted, 0::numeric AS debits_posted,
               l.pending AS credits_pending, 0::numeric AS debits_pending
        FROM legs l
        UNION ALL
        SELECT l.debit_account_id, 0, l.posted, 0, l.pending
        FROM legs l
    ), derived AS (
        SELECT e.account_id, SUM(e.credits_posted) AS credits_posted, SUM(e.debits_posted) AS debits_posted,
               SUM(e.credits_pending) AS credits_pending, SUM(e.debits_pending) AS debits_pending
        FROM effect e GROUP BY e.account_id
    )
    SELECT 'currency_balanced'::varchar(40), NULL::bigint, tb.currency,
           format('posted %s/%s, pending %s/%s (debits/credits)', tb.posted_debits, tb.posted_credits,
                  tb.pending_debits, tb.pending_credits)::varchar(400)
    FROM trial_balance() tb
    WHERE tb.posted_debits <> tb.posted_credits OR tb.pending_debits <> tb.pending_credits
    UNION ALL
    SELECT 'stored_balance_matches', a.id, a.currency,
           format('stored %s/%s/%s/%s, from transfers %s/%s/%s/%s (credits/debits posted, credits/debits pending)',
                  a.credits_posted, a.debits_posted, a.credits_pending, a.debits_pending,
                  COALESCE(d.credits_posted, 0), COALESCE(d.debits_posted, 0),
                  COALESCE(d.credits_pending, 0), COALESCE(d.debits_pending, 0))::varchar(400)
    FROM accounts a LEFT JOIN derived d ON d.account_id = a.id
    WHERE a.kind IN ('customer', 'receivable')
      AND (a.credits_posted <> COALESCE(d.credits_posted, 0) OR a.debits_posted <> COALESCE(d.debits_posted, 0)
        OR a.credits_pending <> COALESCE(d.credits_pending, 0) OR a.debits_pending <> COALESCE(d.debits_pending, 0))
    UNION ALL
    SELECT 'available_not_negative', a.id, a.currency,
           format('available %s', a.credits_posted - a.debits_posted)::varchar(400)
    FROM accounts a
    WHERE a.kind = 'customer' AND a.credits_posted < a.debits_posted
    UNION ALL
    SELECT 'no_credit_while_owing', a.id, a.currency,
           format('available %s while owing %s', a.credits_posted - a.debits_posted,
                  r.debits_posted - r.credits_posted)::varchar(400)
    FROM accounts a
    JOIN accounts r ON r.kind = 'receivable' AND r.owner_id = a.owner_id AND r.currency = a.currency
    WHERE a.kind = 'customer' AND a.credits_posted > a.debits_posted AND r.debits_posted > r.credits_posted
    UNION ALL
    SELECT 'transfer_currency_matches', CASE WHEN d.currency <> t.currency THEN d.id ELSE c.id END, t.currency,
           format('transfer %s is in %s, its account is not', t.id, t.currency)::varchar(400)
    FROM transfers t
    JOIN accounts d ON d.id = t.debit_account_id
    JOIN accounts c ON c.id = t.credit_account_id
    WHERE d.currency <> t.currency OR c.currency <> t.currency
    UNION ALL
    -- transfers carry no foreign keys to accounts (see the schema): prove the references here.
    SELECT 'transfer_accounts_exist', NULL::bigint, t.currency,
           format('transfer %s names an account that does not exist', t.id)::varchar(400)
    FROM transfers t
    WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.debit_account_id)
       OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.credit_account_id)
       OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.customer_account_id AND a.kind IN ('customer', 'receivable'))
    UNION ALL
    -- Nor does a 'post' or 'void' row to the transfer it resolves (0003_lean_writes.sql).
    SELECT 'resolves_a_pending_transfer', r.customer_account_id, r.currency,
           format('transfer %s (%s) names %s, which is not a pending transfer', r.id, r.phase, r.pending_id)::varchar(400)
    FROM transfers r
    WHERE r.pending_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = r.pending_id AND t.phase = 'pending')
    UNION ALL
    -- Nor a redemption to its referral code (same script).
    SELECT 'redemption_code_exists', NULL::bigint, d.currency,
           format('redemption %s names code %s, which does not exist', d.id, d.code)::varchar(400)
    FROM redemptions d
    WHERE NOT EXISTS (SELECT 1 FROM referral_codes c WHERE c.code = d.code)
    UNION ALL
    -- Every lot: granted, changed by its movements (spent, settled, reversed, expired, given back), is what it
    -- holds, and that lies within [0, granted].
    SELECT 'lot_balanced', l.account_id, l.currency,
           format('lot %s: granted %s, movements %s, remaining %s', l.id, l.granted, COALESCE(m.moved, 0),
                  l.remaining)::varchar(400)
    FROM credit_lots l
    LEFT JOIN (SELECT lm.lot_id, SUM(lm.amount::numeric) AS moved FROM lot_movements lm GROUP BY lm.lot_id) m
           ON m.lot_id = l.id
    WHERE l.remaining <> l.granted + COALESCE(m.moved, 0) OR l.remaining < 0 OR l.remaining > l.granted
    UNION ALL
    -- A customer account's lots hold exactly its posted balance.
    SELECT 'lots_match_balance', a.id, a.currency,
           format('posted balance %s, its lots hold %s', a.credits_posted - a.debits_posted,
                  COALESCE(s.remaining, 0))::varchar(400)
    FROM accounts a
    LEFT JOIN (SELECT l.account_id, SUM(l.remaining::numeric) AS remaining FROM credit_lots l GROUP BY l.account_id) s
           ON s.account_id = a.id
    WHERE a.kind = 'customer' AND a.credits_posted - a.debits_posted <> COALESCE(s.remaining, 0)
    UNION ALL
    -- Lots and movements carry no foreign keys either (0013_time.sql).
    SELECT 'lot_account_exists', l.account_id, l.currency,
           format('lot %s names account %s, which is not a customer account in %s', l.id, l.account_id,
                  l.currency)::varchar(400)
    FROM credit_lots l
    WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = l.account_id AND a.kind = 'customer' AND a.currency = l.currency)
    UNION ALL
    SELECT 'lot_movement_lot_exists', NULL::bigint, NULL::char(3),
           format('lot movement %s names lot %s, which does not exist', lm.id, lm.lot_id)::varchar(400)
    FROM lot_movements lm
    WHERE NOT EXISTS (SELECT 1 FROM credit_lots l WHERE l.id = lm.lot_id)
    UNION ALL
    -- A program with a budget has committed what its live redemptions grant (rewards, commission, credit, discount).
    SELECT 'budget_committed_matches', NULL::bigint, p.currency,
           format('program %s: committed %s, its live redemptions grant %s (budget %s)', p.id, p.committed,
                  COALESCE(g.granted, 0), p.budget)::varchar(400)
    FROM programs p
    LEFT JOIN (SELECT d.program_id, SUM(d.referrer_reward::numeric + d.referee_reward + d.discount) AS granted
               FROM redemptions d
               WHERE d.status IN ('pending', 'held', 'rewarded', 'redeemed')
               GROUP BY d.program_id) g
           ON g.program_id = p.id
    WHERE p.budget IS NOT NULL AND p.committed <> COALESCE(g.granted, 0)
    ) AS v (invariant, account_id, currency, detail);
END;
$$;
