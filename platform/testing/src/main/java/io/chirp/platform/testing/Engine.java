package io.chirp.platform.testing;

/** The real engines a test can ask for with {@link RealEngines}. */
public enum Engine {
    /** Two PostgreSQL instances: the physical shards {@code shard0} and {@code shard1}. */
    POSTGRES,
    /**
     * A streaming replica of each PostgreSQL shard (hot standby), see
     * {@link SharedEngines#replicaJdbcUrl(int)}; starts {@link #POSTGRES} first.
     */
    POSTGRES_REPLICAS,
    REDIS,
    KAFKA,
    CASSANDRA,
    ELASTICSEARCH
}
