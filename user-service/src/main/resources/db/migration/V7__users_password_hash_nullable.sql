-- Contract, first half (docs/adr/0005-expand-contract-credentials.md): the CONTRACTED code no
-- longer writes users.password_hash. Catalog-only change (no table scan, no rewrite), but it takes
-- ACCESS EXCLUSIVE on users for an instant; the lock_timeout makes it fail rather than queue
-- behind a long transaction while every read of users queues behind it.
SET LOCAL lock_timeout = '5s';

ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
