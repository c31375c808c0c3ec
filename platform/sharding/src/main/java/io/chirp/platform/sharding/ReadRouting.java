package io.chirp.platform.sharding;

/**
 * Whether the current caller's reads may go to a replica. A service answers from its request
 * context: a caller who wrote within the read-your-writes window must read the primary, or
 * they might not see their own write on a replica that has not replayed it yet.
 */
@FunctionalInterface
public interface ReadRouting {

    /** Replicas whenever they are in rotation (batch jobs, tests). */
    ReadRouting REPLICAS_WHEN_IN_ROTATION = () -> false;

    /** True when the current caller's reads must go to the primary. */
    boolean mustReadPrimary();
}
