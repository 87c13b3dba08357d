-- get_balances() called directly: a random referrer (each holds an account once its code was redeemed).
\set c random(1, :codes)
SELECT * FROM get_balances('ref-' || :c, now());
