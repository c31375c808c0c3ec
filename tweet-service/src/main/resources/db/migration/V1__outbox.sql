-- The transactional outbox of this physical shard: every event is written here in the same
-- local transaction as the change it describes, then relayed to Kafka and marked sent.
CREATE TABLE outbox (
    id            bigserial   PRIMARY KEY,
    event_id      uuid        NOT NULL UNIQUE,
    topic         text        NOT NULL,
    message_key   text        NOT NULL,
    event_type    text        NOT NULL,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz
);

-- The relay reads unsent rows in id order.
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
