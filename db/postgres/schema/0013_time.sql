-- Time: hold periods, qualification deadlines, credit lots that expire to breakage, program budgets, and the due-time
-- indexes the job runner works from (the SQL Server twin is db/sqlserver/schema/0013_time.sql).
--
-- 1. Program settings, all optional (NULL: the program behaves as before).
--    hold_days: a qualified redemption's rewards stay pending ('held') this long, then post.
--    qualify_within_days: a redemption not qualified this long after it was made expires, its pending rewards void.
--    credit_expiry_days: each posted reward becomes a credit lot that expires this long after it posted.
--    budget: the most the program may ever grant; committed is what it has granted and not taken back (pending,
--    held or posted rewards, commissions, credit and discounts of live redemptions). Only a program with a budget
--    keeps committed, under its row lock: no other program's redemption touches its program row.
ALTER TABLE programs
    ADD COLUMN hold_days integer NULL,
    ADD COLUMN qualify_within_days integer NULL,
    ADD COLUMN credit_expiry_days integer NULL,
    ADD COLUMN budget bigint NULL,
    ADD COLUMN committed bigint NOT NULL DEFAULT 0;
ALTER TABLE programs
    ADD CONSTRAINT programs_time_check CHECK (
        (hold_days IS NULL OR hold_days > 0)
        AND (qualify_within_days IS NULL OR qualify_within_days > 0)
        AND (credit_expiry_days IS NULL OR credit_expiry_days > 0)),
    ADD CONSTRAINT programs_budget_check CHECK (committed >= 0 AND (budget IS NULL OR (budget > 0 AND committed <= budget)));

-- 2. Redemptions. 'held': qualified, its rewards pending until available_at. 'expired': not qualified by qualify_by;
--    its pending rewards were voided. The job runner finds due ones through the two partial indexes.
ALTER TABLE redemptions
    ADD COLUMN qualify_by timestamptz NULL,
    ADD COLUMN available_at timestamptz NULL,
    ADD COLUMN expired_at timestamptz NULL;
ALTER TABLE redemptions DROP CONSTRAINT redemptions_status_check;
ALTER TABLE redemptions ADD CONSTRAINT redemptions_status_check
    CHECK (status IN ('pending', 'held', 'rewarded', 'redeemed', 'reversed', 'expired'));
CREATE INDEX redemptions_qualify_due_ix ON redemptions (qualify_by) WHERE status = 'pending' AND qualify_by IS NOT NULL;
CREATE INDEX redemptions_hold_due_ix ON redemptions (available_at) WHERE status = 'held';

-- 3. Held credit per customer account, for the balance's availableAt: one row per held leg, deleted when the leg
--    posts or voids (not a ledger row: the pending transfer is the ledger's record of it).
CREATE TABLE credit_holds (
    account_id     bigint      NOT NULL,
    redemption_id  uuid        NOT NULL,
    amount         bigint      NOT NULL CHECK (amount > 0),
    available_at   timestamptz NOT NULL,
    PRIMARY KEY (account_id, redemption_id)
);

-- 4. Credit lots. Every posted credit on a customer's account is in a lot: a posted reward, commission or gift credit
--    makes one (expiring when its program says so), a reversed spend gives back to the lots it took from. Every
--    posted debit takes from lots: a spend or a settlement of what is owed from the soonest-expiring lots first (lots
--    without expiry last), a reversed reward from its own lot first, expiry a lot's whole remainder (to the program's
--    breakage account). So each lot's granted = spent + expired + reversed + remaining, and the remaining of a
--    customer account's lots adds up to its available credit (ledger_check proves both).
--    remaining is kept in the row (updated under the account's row lock); lot_movements is the append-only record
--    of each change to it, with the signed amount, so the lot can be proved against it.
CREATE TABLE credit_lots (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id     bigint      NOT NULL, -- the customer's credit account; no FK, as for transfers (ledger_check)
    currency       char(3)     NOT NULL,
    program_id     uuid        NULL,     -- whose breakage account its expiry credits (NULL: opening lots, see 6)
    redemption_id  uuid        NULL,     -- the reward it came from
    granted        bigint      NOT NULL CHECK (granted > 0),
    remaining      bigint      NOT NULL,
    expires_at     timestamptz NULL,
    created_at     timestamptz NOT NULL,
    CONSTRAINT credit_lots_remaining_check CHECK (remaining >= 0 AND remaining <= granted)
);
ALTER TABLE credit_lots SET (fillfactor = 80);
-- An account's live lots, in the order spending takes them (ascending puts NULL expiry last on PostgreSQL).
CREATE INDEX credit_lots_account_ix ON credit_lots (account_id, expires_at, id) WHERE remaining > 0;
-- Due lots for the job runner: live lots with an expiry.
CREATE INDEX credit_lots_due_ix ON credit_lots (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;
-- A reward's own lot (reversal takes from it first).
CREATE INDEX credit_lots_redemption_ix ON credit_lots (redemption_id) WHERE redemption_id IS NOT NULL;

CREATE TABLE lot_movements (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lot_id         bigint      NOT NULL,
    kind           varchar(20) NOT NULL CHECK (kind IN ('spend', 'spend_reversal', 'settlement', 'reversal', 'expiry')),
    amount         bigint      NOT NULL CHECK (amount <> 0), -- signed change of the lot's remaining
    spend_id       uuid        NULL,
    redemption_id  uuid        NULL,
    created_at     timestamptz NOT NULL
);
-- What a spend took from which lots (its reversal gives it back to them).
CREATE INDEX lot_movements_spend_ix ON lot_movements (spend_id) WHERE spend_id IS NOT NULL;
-- A reward's expiries (a reversal takes back only what of the reward did not expire): only expiry movements enter it.
CREATE INDEX lot_movements_expiry_ix ON lot_movements (lot_id) WHERE kind = 'expiry';

-- 5. Breakage accounts: one per program and currency (owner_id: the program id), credited by expired lots. Their
--    balances are derived from transfers, like funding accounts: read, never updated.
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check
    CHECK (kind IN ('customer', 'funding', 'spent', 'receivable', 'breakage'));

-- 6. Opening lots: the credit customers hold today, one lot per account without expiry (it was granted without one).
INSERT INTO credit_lots (account_id, currency, program_id, redemption_id, granted, remaining, expires_at, created_at)
SELECT a.id, a.currency, NULL, NULL, a.credits_posted - a.debits_posted, a.credits_posted - a.debits_posted, NULL, now()
FROM accounts a
WHERE a.kind = 'customer' AND a.credits_posted > a.debits_posted;

-- 7. Result shapes. Idempotency outcomes stored before this script read the new fields as NULL.
ALTER TYPE program_row
    ADD ATTRIBUTE hold_days integer,
    ADD ATTRIBUTE qualify_within_days integer,
    ADD ATTRIBUTE credit_expiry_days integer,
    ADD ATTRIBUTE budget bigint,
    ADD ATTRIBUTE committed bigint;
ALTER TYPE redemption_row
    ADD ATTRIBUTE qualify_by timestamptz,
    ADD ATTRIBUTE available_at timestamptz,
    ADD ATTRIBUTE expired_at timestamptz;
ALTER TYPE balance_row
    ADD ATTRIBUTE available_at timestamptz,
    ADD ATTRIBUTE expiring bigint,
    ADD ATTRIBUTE expires_at timestamptz;

-- What one pass of a job did: items done, and the due time of the oldest item still due after it (NULL: none).
CREATE TYPE job_row AS (
    done        integer,
    oldest_due  timestamptz
);
