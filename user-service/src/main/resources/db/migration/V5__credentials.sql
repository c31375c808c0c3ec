-- Expand (docs/adr/0005-expand-contract-credentials.md): the password hash gets its own table on the
-- user's shard, so profile reads (replicas, caches) never carry a secret and the table can get
-- stricter grants. Nothing reads it yet; the code of before keeps using users.password_hash.
--
-- The foreign key takes SHARE ROW EXCLUSIVE on users for the length of this transaction (reads go
-- on, writes wait): the lock_timeout makes the migration fail rather than queue behind a long
-- transaction and hold every write to users up behind it.
SET LOCAL lock_timeout = '5s';

-- ON DELETE CASCADE: whichever code version deletes the user row (old ones too) removes the hash.
CREATE TABLE credentials (
    user_id        bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash  text        NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
