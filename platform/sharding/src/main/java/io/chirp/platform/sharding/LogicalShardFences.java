package io.chirp.platform.sharding;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A write fence per logical shard, for the brief switch of an online shard move.
 *
 * <p>Every connection a service takes for one logical shard ({@link ShardedDataSources#forId},
 * {@link ShardedDataSources#forKey}) holds a permit of that shard's fair semaphore until the
 * connection is closed. {@link #fence} takes all permits: it waits for the work in flight on
 * that logical shard to finish (the transactions already running commit on the old database),
 * and from then on new work on that logical shard waits in line, up to
 * {@link #enter}'s {@code maxWait}, until {@link #lift}. The other 8 191 logical shards never
 * touch this semaphore, so nothing outside the moving shard is blocked.
 *
 * <p>Fair semaphores ({@link Semaphore#Semaphore(int, boolean)}) make a waiting fence go
 * before work arriving after it, so a steady stream of requests cannot starve the fence.
 */
public final class LogicalShardFences {

    /** Permits of one logical shard: more than any number of connections in flight at once. */
    private static final int PERMITS = 1 << 20;

    private final Semaphore[] semaphores = new Semaphore[LogicalShards.COUNT];
    private final boolean[] fenced = new boolean[LogicalShards.COUNT];
    private final Duration maxWait;

    /**
     * @param maxWait how long new work on a fenced logical shard waits for the fence to lift
     *                before it fails with a transient connection error (answered 503)
     */
    public LogicalShardFences(Duration maxWait) {
        this.maxWait = maxWait;
        for (int i = 0; i < semaphores.length; i++) {
            semaphores[i] = new Semaphore(PERMITS, true);
        }
    }

    /** How long work waits at a fence before it fails. */
    public Duration maxWait() {
        return maxWait;
    }

    /**
     * Enters {@code logicalShard}: returns at once unless the shard is fenced, then waits for
     * the fence to lift, up to {@link #maxWait()}.
     *
     * @return a permit to close when the work is done (the connection closes)
     * @throws SQLTransientConnectionException (SQLState {@code 08001}) when the fence stayed up
     *                                         longer than the wait, or the thread was interrupted
     */
    public Permit enter(int logicalShard) throws SQLTransientConnectionException {
        Semaphore semaphore = semaphores[LogicalShards.requireValid(logicalShard)];
        try {
            if (semaphore.tryAcquire(1, maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return new Permit(semaphore);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new SQLTransientConnectionException(
                "logical shard " + logicalShard + " is fenced for a move and did not open within " + maxWait, "08001");
    }

    /**
     * Raises the fence on {@code logicalShard}: new work waits, and this call returns once the
     * work in flight there has finished.
     *
     * @param drainTimeout how long to wait for the work in flight
     * @return how long the drain took
     * @throws IllegalStateException when the shard is already fenced, or the work in flight did
     *                               not finish in time (the fence is then not raised)
     */
    public synchronized Duration fence(int logicalShard, Duration drainTimeout) {
        int shard = LogicalShards.requireValid(logicalShard);
        if (fenced[shard]) {
            throw new IllegalStateException("logical shard " + shard + " is already fenced");
        }
        long start = System.nanoTime();
        try {
            if (!semaphores[shard].tryAcquire(PERMITS, drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("the work in flight on logical shard " + shard
                        + " did not finish within " + drainTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fencing logical shard " + shard, e);
        }
        fenced[shard] = true;
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Lifts the fence on {@code logicalShard}; the work waiting there proceeds. No-op when not fenced. */
    public synchronized void lift(int logicalShard) {
        int shard = LogicalShards.requireValid(logicalShard);
        if (fenced[shard]) {
            fenced[shard] = false;
            semaphores[shard].release(PERMITS);
        }
    }

    /** True while {@code logicalShard} is fenced. */
    public synchronized boolean isFenced(int logicalShard) {
        return fenced[LogicalShards.requireValid(logicalShard)];
    }

    /** One piece of work's hold on a logical shard; closing it twice releases once. */
    public static final class Permit implements AutoCloseable {
        private final Semaphore semaphore;
        private boolean released;

        private Permit(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                semaphore.release();
            }
        }
    }
}
