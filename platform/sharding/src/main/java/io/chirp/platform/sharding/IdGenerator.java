package io.chirp.platform.sharding;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Thread-safe generator of {@link ChirpId}s: for each logical shard, the ids it returns are
 * unique and strictly increasing, within one generator (one process).
 *
 * <p>Algorithm (Instagram engineering, "Sharding &amp; IDs at Instagram", 2012, where a
 * PostgreSQL function per logical shard does the same): the id's time is the clock's current
 * millisecond; its sequence counts the ids of that shard in that millisecond, from 0. Each
 * shard keeps its own sequence, so shards do not share the 1024 ids of a millisecond.
 * <ul>
 *   <li>When the 1024 sequence values of a millisecond are spent, {@link #next(int)} waits
 *       (spinning, at most about one millisecond) for the clock to reach the next millisecond.
 *   <li>When the clock reads earlier than the last id issued for the shard (e.g. after an NTP
 *       step), {@link #next(int)} waits it out if the step is at most the tolerance (default
 *       {@value #DEFAULT_BACKWARDS_TOLERANCE_MILLIS} ms), and otherwise throws
 *       {@link ClockMovedBackwardsException}.
 * </ul>
 *
 * <p>Uniqueness holds within one generator. Two generators (say two instances of a service)
 * issuing ids for the same logical shard in the same millisecond can issue the same id;
 * Instagram avoids that by generating ids inside each shard's PostgreSQL schema. So let one
 * generator at a time issue the ids of a given logical shard (one writer instance, or logical
 * shards divided among instances), and keep ids as primary keys so that a clash is refused,
 * never merged.
 *
 * <p>State: one {@code long} per logical shard (64 KiB); no locks.
 */
public final class IdGenerator {

    /** Default tolerance for a clock that steps backwards: 5 ms. */
    public static final long DEFAULT_BACKWARDS_TOLERANCE_MILLIS = 5;

    /** State of a shard that has issued no id yet. */
    private static final long NONE = -1;

    private final LongSupplier unixMillis;
    private final long toleranceMillis;
    private final Runnable pause;
    /**
     * Per logical shard, the last issued (millisSinceEpoch, sequence) packed as
     * {@code millis << SEQUENCE_BITS | sequence}, or {@link #NONE}. Packing both in one long
     * lets a single compare-and-set move them together; the packed value only ever grows.
     */
    private final AtomicLongArray last = new AtomicLongArray(LogicalShards.COUNT);

    /** A generator on the system UTC clock with the default tolerance. */
    public IdGenerator() {
        this(Clock.systemUTC());
    }

    /**
     * A generator on {@code clock} with the default tolerance of
     * {@value #DEFAULT_BACKWARDS_TOLERANCE_MILLIS} ms.
     */
    public IdGenerator(Clock clock) {
        this(clock, Duration.ofMillis(DEFAULT_BACKWARDS_TOLERANCE_MILLIS));
    }

    /**
     * A generator on {@code clock}.
     *
     * @param clock              read with {@link Clock#millis()} for every id
     * @param backwardsTolerance the largest backward clock step that is waited out rather than
     *                           refused; zero or more, in whole milliseconds
     * @throws IllegalArgumentException if {@code backwardsTolerance} is negative
     */
    public IdGenerator(Clock clock, Duration backwardsTolerance) {
        this(Objects.requireNonNull(clock, "clock")::millis,
                Objects.requireNonNull(backwardsTolerance, "backwardsTolerance").toMillis(),
                Thread::onSpinWait);
    }

    /**
     * For tests: {@code pause} is run in every turn of a wait, so a test clock can advance there.
     */
    IdGenerator(LongSupplier unixMillis, long toleranceMillis, Runnable pause) {
        if (toleranceMillis < 0) {
            throw new IllegalArgumentException(
                    "backwardsTolerance " + toleranceMillis + " ms is negative");
        }
        this.unixMillis = unixMillis;
        this.toleranceMillis = toleranceMillis;
        this.pause = pause;
        for (int shard = 0; shard < LogicalShards.COUNT; shard++) {
            last.set(shard, NONE);
        }
    }

    /**
     * Issues the next id for {@code logicalShard}: greater than every id this generator issued
     * for that shard before, with the current millisecond as its time. May wait for the clock
     * (see class doc), for about a millisecond, or up to the tolerance after a backward step.
     *
     * @param logicalShard 0..{@value ChirpId#MAX_LOGICAL_SHARD}
     * @return a new id on {@code logicalShard}
     * @throws IllegalArgumentException     if {@code logicalShard} is out of range
     * @throws ClockMovedBackwardsException if the clock is further behind the shard's last id
     *                                      than the tolerance
     * @throws IllegalStateException        if the clock reads before {@link ChirpId#EPOCH} or
     *                                      after {@link ChirpId#LAST_INSTANT}
     */
    public long next(int logicalShard) {
        LogicalShards.requireValid(logicalShard);
        while (true) {
            long previous = last.get(logicalShard);
            long now = nowSinceEpoch();
            long candidate;
            if (previous == NONE) {
                candidate = pack(now, 0);
            } else {
                long lastMillis = previous >>> ChirpId.SEQUENCE_BITS;
                int lastSequence = (int) (previous & ChirpId.MAX_SEQUENCE);
                if (now > lastMillis) {
                    candidate = pack(now, 0);
                } else if (now == lastMillis && lastSequence < ChirpId.MAX_SEQUENCE) {
                    candidate = pack(now, lastSequence + 1);
                } else if (now == lastMillis) {
                    // the millisecond's 1024 ids are spent: wait for the next one
                    pause.run();
                    continue;
                } else {
                    long behind = lastMillis - now;
                    if (behind > toleranceMillis) {
                        throw new ClockMovedBackwardsException(behind, toleranceMillis);
                    }
                    // re-evaluated every turn, so a further step back while waiting still throws
                    pause.run();
                    continue;
                }
            }
            if (last.compareAndSet(logicalShard, previous, candidate)) {
                return ChirpId.compose(candidate >>> ChirpId.SEQUENCE_BITS, logicalShard,
                        (int) (candidate & ChirpId.MAX_SEQUENCE));
            }
        }
    }

    /** The backward clock step, in ms, that {@link #next(int)} waits out rather than refuses. */
    public long backwardsToleranceMillis() {
        return toleranceMillis;
    }

    private long nowSinceEpoch() {
        long now = unixMillis.getAsLong() - ChirpId.EPOCH_MILLIS;
        if (now < 0 || now > ChirpId.MAX_MILLIS) {
            throw new IllegalStateException("clock reads " + (now + ChirpId.EPOCH_MILLIS)
                    + " ms since 1970, outside the ChirpId range " + ChirpId.EPOCH + " to "
                    + ChirpId.LAST_INSTANT);
        }
        return now;
    }

    private static long pack(long millisSinceEpoch, int sequence) {
        return millisSinceEpoch << ChirpId.SEQUENCE_BITS | sequence;
    }
}
