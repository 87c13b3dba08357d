-- Money safety (the PostgreSQL twin is db/postgres/schema/0005_money_safety.sql).
--
-- 1. Receivables. What a customer owes after a reversal took back credit they had already spent (the
--    shortfall) is an account of its own: kind 'receivable', one per customer and currency. Its debits
--    are what the customer came to owe, its credits what later credit settled (dbo.settle_receivable),
--    so owed = debits_posted - credits_posted, never negative.
ALTER TABLE dbo.accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE dbo.accounts ADD CONSTRAINT accounts_kind_check
    CHECK (kind IN ('customer', 'funding', 'spent', 'receivable'));
ALTER TABLE dbo.accounts ADD CONSTRAINT accounts_receivable_not_overpaid
    CHECK (kind <> 'receivable' OR credits_posted <= debits_posted);

-- 2. The database sees only ids and text that passed the service's input rules (Infrastructure/Inputs.cs).
--    Ids have a binary collation, so the LIKE ranges are code-point ranges; on nvarchar, trailing spaces
--    count in LIKE, and a space is outside every set. Free text (database collation) is compared in a
--    binary collation for the same reason: no control characters but tab (9), line feed (10) and
--    carriage return (13); NUL is looked for on its own (CHARINDEX), not inside a LIKE set.
--    WITH NOCHECK: rows written before this script are not re-checked (a DBA may
--    ALTER TABLE ... WITH CHECK CHECK CONSTRAINT them); every row written from now on is.
ALTER TABLE dbo.accounts WITH NOCHECK ADD CONSTRAINT accounts_owner_id_rule
    CHECK (kind NOT IN ('customer', 'receivable') OR (LEN(owner_id) >= 1 AND owner_id NOT LIKE N'%[^A-Za-z0-9._:@-]%'));
ALTER TABLE dbo.referral_codes WITH NOCHECK ADD CONSTRAINT referral_codes_owner_id_rule
    CHECK (LEN(owner_id) >= 1 AND owner_id NOT LIKE N'%[^A-Za-z0-9._:@-]%');
ALTER TABLE dbo.redemptions WITH NOCHECK ADD CONSTRAINT redemptions_id_rules
    CHECK (LEN(referrer_id) >= 1 AND referrer_id NOT LIKE N'%[^A-Za-z0-9._:@-]%'
           AND LEN(referee_id) >= 1 AND referee_id NOT LIKE N'%[^A-Za-z0-9._:@-]%'
           AND (order_id IS NULL OR (LEN(order_id) >= 1 AND order_id NOT LIKE N'%[^A-Za-z0-9._:@/#-]%'))
           AND (qualifying_order_id IS NULL
                OR (LEN(qualifying_order_id) >= 1 AND qualifying_order_id NOT LIKE N'%[^A-Za-z0-9._:@/#-]%')));
ALTER TABLE dbo.redemptions WITH NOCHECK ADD CONSTRAINT redemptions_reason_text
    CHECK (CHARINDEX(NCHAR(0), reversal_reason COLLATE Latin1_General_100_BIN2) = 0
           AND reversal_reason COLLATE Latin1_General_100_BIN2 NOT LIKE
               N'%[' + NCHAR(1) + N'-' + NCHAR(8) + NCHAR(11) + NCHAR(12) + NCHAR(14) + N'-' + NCHAR(31)
               + NCHAR(127) + N'-' + NCHAR(159) + N']%');
ALTER TABLE dbo.spends WITH NOCHECK ADD CONSTRAINT spends_id_rules
    CHECK (LEN(customer_id) >= 1 AND customer_id NOT LIKE N'%[^A-Za-z0-9._:@-]%'
           AND LEN(order_id) >= 1 AND order_id NOT LIKE N'%[^A-Za-z0-9._:@/#-]%');
ALTER TABLE dbo.programs WITH NOCHECK ADD CONSTRAINT programs_name_text
    CHECK (CHARINDEX(NCHAR(0), name COLLATE Latin1_General_100_BIN2) = 0
           AND name COLLATE Latin1_General_100_BIN2 NOT LIKE
               N'%[' + NCHAR(1) + N'-' + NCHAR(8) + NCHAR(11) + NCHAR(12) + NCHAR(14) + N'-' + NCHAR(31)
               + NCHAR(127) + N'-' + NCHAR(159) + N']%');

-- 3. Report sums are decimal(38, 0) inside dbo.trial_balance and dbo.ledger_check (a currency's total can
--    pass 2^63 long before any one amount can); no schema object holds them, so nothing changes here.
