-- Idempotent consumers: one row per (consumer, event) handled, written in the transaction of
-- the handler's effects (see io.chirp.platform.messaging.Inbox).
CREATE TABLE inbox (
    consumer         text        NOT NULL,
    event_id         uuid        NOT NULL,
    processed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX inbox_processed ON inbox (processed_at);
