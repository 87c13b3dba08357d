-- qualify_redemption() called directly: each client walks its own slice of bench.pending (one primary-key lookup).
\set k :k + 1
\set row :client_id + 1 + :clients * :k
SELECT status FROM qualify_redemption((SELECT id FROM bench.pending WHERE n = :row), 'qd-' || :client_id || '-' || :k,
                                      5000, now(), 'bench-merchant', 'qualify-' || gen_random_uuid(), :hash);
