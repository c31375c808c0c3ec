-- Contract, second half (docs/adr/0005-expand-contract-credentials.md): shipped one release after
-- V7, once no running version reads or writes users.password_hash. DROP COLUMN only marks the
-- column dropped in the catalog (the space is reclaimed as rows are rewritten), but it takes
-- ACCESS EXCLUSIVE on users; the lock_timeout makes it fail rather than queue behind a long
-- transaction while every read of users queues behind it.
SET LOCAL lock_timeout = '5s';

ALTER TABLE users DROP COLUMN password_hash;
