package io.chirp.platform.testing;

/** The real engines a test can ask for with {@link RealEngines}. */
public enum Engine {
    /** Two PostgreSQL instances: the physical shards {@code shard0} and {@code shard1}. */
    POSTGRES,
    /**
     * A streaming replica of each PostgreSQL shard (hot standby), published as
     * {@code CHIRP_SHARD0_REPLICA_JDBC_URL} and {@code CHIRP_SHARD1_REPLICA_JDBC_URL}; starts
     * {@link #POSTGRES} first.
     */
    POSTGRES_REPLICAS,
    REDIS,
    KAFKA,
    CASSANDRA,
    ELASTICSEARCH
}
