package io.chirp.platform.sharding;

/**
 * Whether the current caller's stale-tolerant read of one physical database may go to its
 * replica (in rotation). A service answers from its request context: a caller who wrote recently
 * may read a replica only once it has replayed past their write, or they might not see it.
 */
@FunctionalInterface
public interface ReadRouting {

    /** Replicas whenever they are in rotation (batch jobs, tests). */
    ReadRouting REPLICAS_WHEN_IN_ROTATION = (physical, replayedLsn) -> true;

    /**
     * @param physical    the physical database read ({@code shard0})
     * @param replayedLsn the WAL position its replica had replayed at the last measurement
     *                    ({@link Replica#replayedLsn()}; -1 when unknown)
     * @return true when the current caller may read that replica, false for the primary
     */
    boolean mayReadReplica(String physical, long replayedLsn);
}
