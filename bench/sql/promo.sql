-- redeem() of the shared promo code called directly: a new customer's new order, with an idempotency key.
SELECT status FROM redeem(gen_random_uuid(), 'PROMO-BENCH', 'pd-' || gen_random_uuid(), 'pdo-' || gen_random_uuid(), 5000,
                          'USD', NULL, NULL, now(), 'bench-merchant', 'promo-' || gen_random_uuid(), :hash);
