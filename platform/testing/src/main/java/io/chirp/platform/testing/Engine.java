package io.chirp.platform.testing;

/** The real engines a test can ask for with {@link RealEngines}. */
public enum Engine {
    /** Two PostgreSQL instances: the physical shards {@code shard0} and {@code shard1}. */
    POSTGRES,
    REDIS,
    KAFKA,
    CASSANDRA,
    ELASTICSEARCH
}
