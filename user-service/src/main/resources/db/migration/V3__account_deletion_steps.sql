-- Acknowledgements of the account-deletion saga's participants, on the deleted user's shard
-- (next to its `deletions` row). The primary key makes a redelivered acknowledgement a no-op.
CREATE TABLE deletion_steps (
    deletion_id      uuid        NOT NULL REFERENCES deletions (id),
    participant      text        NOT NULL,
    acknowledged_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (deletion_id, participant)
);

-- The recovery sweep looks only at sagas not yet finished.
CREATE INDEX deletions_open ON deletions (updated_at) WHERE state <> 'DONE';
