-- redeem() called directly (pgbench -f): a new friend redeems a random seeded code, with an idempotency key.
\set c random(1, :codes)
SELECT status FROM redeem(gen_random_uuid(), 'BENCH' || :c, 'fd-' || gen_random_uuid(), NULL, NULL, NULL, NULL,
                          NULL, now(), 'bench-merchant', 'redeem-' || gen_random_uuid(), :hash);
