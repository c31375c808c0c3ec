-- Logical shards moved by `./chirp shards move` (docs/adr/0008-online-shard-move.md), written by the
-- tool on every physical database of this service. Each instance reads them at start and every few
-- seconds, and they win over the configured chirp.shards map: a restarted instance, or one the tool
-- could not reach, routes the moved shard to its new database too.
CREATE TABLE shard_map_overrides (
    logical   int         PRIMARY KEY CHECK (logical BETWEEN 0 AND 8191),
    physical  text        NOT NULL,
    moved_at  timestamptz NOT NULL DEFAULT now()
);
