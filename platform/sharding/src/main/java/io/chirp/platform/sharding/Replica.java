package io.chirp.platform.sharding;

import javax.sql.DataSource;

/**
 * The streaming replica of one physical database (PostgreSQL physical replication: a
 * {@code pg_basebackup} copy started with {@code standby.signal} and {@code primary_conninfo}),
 * and whether reads that tolerate staleness may use it now. {@link ReplicaMonitor} keeps the
 * state; until its first measurement the replica is out of rotation.
 */
public final class Replica {

    private final String primaryName;
    private final DataSource dataSource;
    private volatile boolean inRotation;
    private volatile double lagSeconds = Double.NaN;
    private volatile long lagBytes = -1;
    private volatile long replayedLsn = -1;

    /**
     * @param primaryName the physical database this one replicates ({@code shard0})
     * @param dataSource  the replica's pool (read-only connections)
     */
    public Replica(String primaryName, DataSource dataSource) {
        this.primaryName = primaryName;
        this.dataSource = dataSource;
    }

    public String primaryName() {
        return primaryName;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** True while reads may use this replica: reachable and no more behind than the allowed lag. */
    public boolean inRotation() {
        return inRotation;
    }

    /**
     * How far behind the primary the replica's replay was at the last measurement, in seconds
     * (0 when it had replayed everything); NaN when it could not be measured.
     */
    public double lagSeconds() {
        return lagSeconds;
    }

    /** WAL bytes the replica had not replayed at the last measurement; -1 when unknown. */
    public long lagBytes() {
        return lagBytes;
    }

    /**
     * The WAL position the replica had replayed at the last measurement
     * ({@code pg_last_wal_replay_lsn()} as a byte offset, see {@link ReplicaMonitor#parseLsn});
     * -1 when unknown. Every transaction whose commit record ends at or before it is visible on
     * the replica.
     */
    public long replayedLsn() {
        return replayedLsn;
    }

    /** Out of rotation until the monitor measures it again (a read failed to reach it). */
    void takeOutOfRotation() {
        inRotation = false;
    }

    void update(boolean inRotation, double lagSeconds, long lagBytes, long replayedLsn) {
        this.lagSeconds = lagSeconds;
        this.lagBytes = lagBytes;
        this.replayedLsn = replayedLsn;
        this.inRotation = inRotation;
    }
}
