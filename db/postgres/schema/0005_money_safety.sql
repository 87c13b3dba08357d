-- Money safety (the SQL Server twin is db/sqlserver/schema/0005_money_safety.sql).
--
-- 1. Receivables. What a customer owes after a reversal took back credit they had already spent (the
--    shortfall) is an account of its own: kind 'receivable', one per customer and currency. Its debits
--    are what the customer came to owe, its credits what later credit settled (settle_receivable), so
--    owed = debits_posted - credits_posted, never negative.
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check
    CHECK (kind IN ('customer', 'funding', 'spent', 'receivable'));
ALTER TABLE accounts ADD CONSTRAINT accounts_receivable_not_overpaid
    CHECK (kind <> 'receivable' OR credits_posted <= debits_posted);

-- 2. The database sees only ids and text that passed the service's input rules (Infrastructure/Inputs.cs):
--    a length and no character outside the set (the same whole-string rule as a regular expression
--    with {1,64}, which PostgreSQL evaluates about 20 times slower: ~4 us per check, on every update of
--    an account row), and no control characters in free text other than tab and line breaks. NOT VALID: rows written before this
--    script are not re-checked (a DBA may VALIDATE CONSTRAINT them); every row written from now on is.
ALTER TABLE accounts ADD CONSTRAINT accounts_owner_id_rule
    CHECK (kind NOT IN ('customer', 'receivable') OR (length(owner_id) BETWEEN 1 AND 64 AND owner_id !~ '[^A-Za-z0-9._:@-]')) NOT VALID;
ALTER TABLE referral_codes ADD CONSTRAINT referral_codes_owner_id_rule
    CHECK ((length(owner_id) BETWEEN 1 AND 64 AND owner_id !~ '[^A-Za-z0-9._:@-]')) NOT VALID;
ALTER TABLE redemptions ADD CONSTRAINT redemptions_id_rules
    CHECK ((length(referrer_id) BETWEEN 1 AND 64 AND referrer_id !~ '[^A-Za-z0-9._:@-]')
           AND (length(referee_id) BETWEEN 1 AND 64 AND referee_id !~ '[^A-Za-z0-9._:@-]')
           AND (order_id IS NULL OR (length(order_id) BETWEEN 1 AND 64 AND order_id !~ '[^A-Za-z0-9._:@/#-]'))
           AND (qualifying_order_id IS NULL OR (length(qualifying_order_id) BETWEEN 1 AND 64 AND qualifying_order_id !~ '[^A-Za-z0-9._:@/#-]'))) NOT VALID;
ALTER TABLE redemptions ADD CONSTRAINT redemptions_reason_text
    CHECK (reversal_reason !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE spends ADD CONSTRAINT spends_id_rules
    CHECK ((length(customer_id) BETWEEN 1 AND 64 AND customer_id !~ '[^A-Za-z0-9._:@-]')
           AND (length(order_id) BETWEEN 1 AND 64 AND order_id !~ '[^A-Za-z0-9._:@/#-]')) NOT VALID;
ALTER TABLE programs ADD CONSTRAINT programs_name_text
    CHECK (name !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;

-- 3. Report sums: a currency's total can pass 2^63 minor units long before any one amount can, so the
--    trial balance adds in numeric.
ALTER TYPE trial_balance_row
    ALTER ATTRIBUTE posted_debits TYPE numeric,
    ALTER ATTRIBUTE posted_credits TYPE numeric,
    ALTER ATTRIBUTE pending_debits TYPE numeric,
    ALTER ATTRIBUTE pending_credits TYPE numeric;

-- 4. A customer's balance shows what they owe.
ALTER TYPE balance_row ADD ATTRIBUTE owed bigint;
