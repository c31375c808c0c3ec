package io.chirp.platform.sharding;

import java.time.Instant;

/**
 * Chirp's 64-bit, time-ordered identifiers, which carry the logical shard of the row they name,
 * so any id can be routed to its database without a lookup.
 *
 * <p>Layout (most significant bit first), after Instagram engineering, "Sharding &amp; IDs at
 * Instagram" (2012):
 *
 * <pre>
 *  63                       23 22            10 9           0
 * +---------------------------+----------------+--------------+
 * | timestamp, 41 bits        | shard, 13 bits | seq, 10 bits |
 * +---------------------------+----------------+--------------+
 *
 *  id = (millisSinceEpoch &lt;&lt; 23) | (logicalShard &lt;&lt; 10) | sequence
 * </pre>
 *
 * <ul>
 *   <li><b>timestamp</b>: milliseconds since {@link #EPOCH} (2026-01-01T00:00:00Z). The field is
 *       41 bits wide, but its top bit is the sign bit of the id, so only values up to
 *       {@link #MAX_MILLIS} (2<sup>40</sup>&nbsp;&minus;&nbsp;1, i.e. until {@link #LAST_INSTANT},
 *       2060-11-03T19:53:47.775Z) are accepted. Ids therefore stay positive, and their order as a
 *       signed {@code long} (Java) or {@code bigint} (PostgreSQL) is creation order.
 *   <li><b>logical shard</b>: 0..{@link #MAX_LOGICAL_SHARD} (8192 shards, see
 *       {@link LogicalShards}); mapped to a physical database by {@link ShardMap}.
 *   <li><b>sequence</b>: 0..{@link #MAX_SEQUENCE}, distinguishing ids of one logical shard
 *       created in the same millisecond (see {@link IdGenerator}).
 * </ul>
 *
 * <p>Ids are plain {@code long}s everywhere; this class only holds static helpers. Ids exceed
 * 2<sup>53</sup> from 2026-01-13 on, so they cannot be represented exactly as a JavaScript
 * number or a {@code double} (e.g. a Redis sorted-set score): send them as JSON strings.
 *
 * <p>Every method throws {@link IllegalArgumentException} naming the offending part when given
 * a part out of range or a negative id.
 */
public final class ChirpId {

    /** The custom epoch: timestamp 0 of every id, 2026-01-01T00:00:00Z. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    /** {@link #EPOCH} in milliseconds since the Unix epoch (1 767 225 600 000). */
    public static final long EPOCH_MILLIS = 1_767_225_600_000L;

    /** Width of the timestamp field, in bits. */
    public static final int TIMESTAMP_BITS = 41;

    /** Width of the logical shard field, in bits. */
    public static final int LOGICAL_SHARD_BITS = 13;

    /** Width of the sequence field, in bits. */
    public static final int SEQUENCE_BITS = 10;

    /** Largest accepted timestamp, in ms since {@link #EPOCH}: 2<sup>40</sup> &minus; 1 (see class doc). */
    public static final long MAX_MILLIS = (1L << (TIMESTAMP_BITS - 1)) - 1;

    /** Largest logical shard: 8191. */
    public static final int MAX_LOGICAL_SHARD = (1 << LOGICAL_SHARD_BITS) - 1;

    /** Largest sequence value: 1023, so 1024 ids per logical shard per millisecond. */
    public static final int MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1;

    /** The last millisecond an id can hold: 2060-11-03T19:53:47.775Z. */
    public static final Instant LAST_INSTANT = EPOCH.plusMillis(MAX_MILLIS);

    private static final int SHARD_SHIFT = SEQUENCE_BITS;
    private static final int TIMESTAMP_SHIFT = LOGICAL_SHARD_BITS + SEQUENCE_BITS;

    private ChirpId() {
    }

    /**
     * Builds an id from its three parts.
     *
     * @param millisSinceEpoch milliseconds since {@link #EPOCH}, 0..{@link #MAX_MILLIS}
     * @param logicalShard     0..{@link #MAX_LOGICAL_SHARD}
     * @param sequence         0..{@link #MAX_SEQUENCE}
     * @return the id, never negative
     * @throws IllegalArgumentException if a part is out of range; the message names the part
     */
    public static long compose(long millisSinceEpoch, int logicalShard, int sequence) {
        if (millisSinceEpoch < 0 || millisSinceEpoch > MAX_MILLIS) {
            throw new IllegalArgumentException("timestamp " + millisSinceEpoch
                    + " ms since the ChirpId epoch is outside 0.." + MAX_MILLIS
                    + " (" + EPOCH + " to " + LAST_INSTANT + ")");
        }
        LogicalShards.requireValid(logicalShard);
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException(
                    "sequence " + sequence + " is outside 0.." + MAX_SEQUENCE);
        }
        return (millisSinceEpoch << TIMESTAMP_SHIFT)
                | ((long) logicalShard << SHARD_SHIFT)
                | sequence;
    }

    /**
     * Builds an id from its three parts, the time given as an instant.
     *
     * @param timestamp    between {@link #EPOCH} and {@link #LAST_INSTANT}; truncated to the
     *                     millisecond
     * @param logicalShard 0..{@link #MAX_LOGICAL_SHARD}
     * @param sequence     0..{@link #MAX_SEQUENCE}
     * @return the id, never negative
     * @throws IllegalArgumentException if a part is out of range; the message names the part
     */
    public static long compose(Instant timestamp, int logicalShard, int sequence) {
        return compose(millisOf(timestamp), logicalShard, sequence);
    }

    /**
     * The smallest id that can be created during the millisecond of {@code instant}
     * (shard 0, sequence 0). With {@link #largestIdAt(Instant)} it turns a time range into an
     * id range, e.g. {@code WHERE id BETWEEN smallestIdAt(from) AND largestIdAt(to)}.
     *
     * @param instant between {@link #EPOCH} and {@link #LAST_INSTANT}; truncated to the millisecond
     * @throws IllegalArgumentException if {@code instant} is outside that range
     */
    public static long smallestIdAt(Instant instant) {
        return compose(millisOf(instant), 0, 0);
    }

    /**
     * The largest id that can be created during the millisecond of {@code instant}
     * (shard {@value #MAX_LOGICAL_SHARD}, sequence {@value #MAX_SEQUENCE}); one less than
     * {@code smallestIdAt(instant + 1 ms)}.
     *
     * @param instant between {@link #EPOCH} and {@link #LAST_INSTANT}; truncated to the millisecond
     * @throws IllegalArgumentException if {@code instant} is outside that range
     */
    public static long largestIdAt(Instant instant) {
        return compose(millisOf(instant), MAX_LOGICAL_SHARD, MAX_SEQUENCE);
    }

    /**
     * The logical shard the id lives on, 0..{@value #MAX_LOGICAL_SHARD}.
     *
     * @throws IllegalArgumentException if {@code id} is negative
     */
    public static int logicalShard(long id) {
        return (int) ((requireValid(id) >>> SHARD_SHIFT) & MAX_LOGICAL_SHARD);
    }

    /**
     * The millisecond the id was created in, as an instant.
     *
     * @throws IllegalArgumentException if {@code id} is negative
     */
    public static Instant timestamp(long id) {
        return EPOCH.plusMillis(millisSinceEpoch(id));
    }

    /**
     * The id's timestamp field: milliseconds since {@link #EPOCH}, 0..{@link #MAX_MILLIS}.
     *
     * @throws IllegalArgumentException if {@code id} is negative
     */
    public static long millisSinceEpoch(long id) {
        return requireValid(id) >>> TIMESTAMP_SHIFT;
    }

    /**
     * The id's sequence within its millisecond and logical shard, 0..{@value #MAX_SEQUENCE}.
     *
     * @throws IllegalArgumentException if {@code id} is negative
     */
    public static int sequence(long id) {
        return (int) (requireValid(id) & MAX_SEQUENCE);
    }

    /**
     * A readable form for logs, e.g. {@code 123456789[2026-01-01T00:00:00.014Z shard 3 seq 5]}.
     *
     * @throws IllegalArgumentException if {@code id} is negative
     */
    public static String describe(long id) {
        return id + "[" + timestamp(id) + " shard " + logicalShard(id) + " seq " + sequence(id) + "]";
    }

    private static long millisOf(Instant instant) {
        if (instant.isBefore(EPOCH) || instant.isAfter(LAST_INSTANT.plusNanos(999_999))) {
            throw new IllegalArgumentException("timestamp " + instant + " is outside "
                    + EPOCH + " to " + LAST_INSTANT);
        }
        return instant.toEpochMilli() - EPOCH_MILLIS;
    }

    private static long requireValid(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("id " + id + " is negative, so not a ChirpId");
        }
        return id;
    }
}
