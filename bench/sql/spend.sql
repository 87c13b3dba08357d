-- spend_credit() called directly: 1 minor unit of a random customer with credit (one primary-key lookup in bench.customers).
\set i random(1, :customers)
SELECT status FROM spend_credit(gen_random_uuid(), (SELECT customer_id FROM bench.customers WHERE n = :i), 1, 'USD',
                                'sd-' || gen_random_uuid(), now(), 'bench-merchant', 'spend-' || gen_random_uuid(), :hash);
