-- Opens a credit lot for posted credit that has just landed on a customer's account (a posted reward or
-- commission, a promo's gift credit): call it right after the credit, before settle_receivable (which takes what it
-- settles from the lots). p_expires_at: p_now + the program's credit_expiry_days, or NULL (never expires).
-- The caller holds the account's row lock (its update took it): every change to an account's lots happens under it.
CREATE OR REPLACE FUNCTION grant_lot(
    p_account_id bigint, p_amount bigint, p_program_id uuid, p_redemption_id uuid, p_expires_at timestamptz,
    p_now timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO credit_lots (account_id, currency, program_id, redemption_id, granted, remaining, expires_at, created_at)
    SELECT a.id, a.currency, p_program_id, p_redemption_id, p_amount, p_amount, p_expires_at, p_now
    FROM accounts a
    WHERE a.id = p_account_id AND a.kind = 'customer';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'grant_lot: % is not a customer account', p_account_id;
    END IF;
END;
$$;
