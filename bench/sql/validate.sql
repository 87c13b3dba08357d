-- check_code() called directly: a random seeded code for a new customer.
\set c random(1, :codes)
\set k :k + 1
SELECT status FROM check_code('BENCH' || :c, 'vd-' || :client_id || '-' || :k, NULL, NULL, NULL, now());
