package io.chirp.platform.sharding;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The logical shards, and the two ways Chirp chooses one.
 *
 * <p>There are {@value #COUNT} logical shards, numbered 0..{@value #MAX}; the number is the
 * 13-bit shard field of a {@link ChirpId}. Many logical shards live on each physical database
 * ({@link ShardMap}), so capacity grows by moving logical shards, never by re-hashing rows
 * (Instagram engineering, "Sharding &amp; IDs at Instagram", 2012, which uses several thousand
 * logical shards on a few physical servers).
 *
 * <ul>
 *   <li>{@link #forUser()}: the home of a new user. The user's id carries it, so the user's rows
 *       and the tweets the user authors stay there for life.
 *   <li>{@link #forKey(String)}: the shard holding the claim row that makes a username or an
 *       email unique across all shards; it must be a pure function of the value.
 * </ul>
 */
public final class LogicalShards {

    /** Number of logical shards: 8192 (2<sup>13</sup>). */
    public static final int COUNT = 1 << ChirpId.LOGICAL_SHARD_BITS;

    /** Largest logical shard number: 8191. */
    public static final int MAX = COUNT - 1;

    /** Seed of the MurmurHash3 used by {@link #forKey(String)}; fixed forever. */
    private static final int KEY_HASH_SEED = 0;

    private LogicalShards() {
    }

    /**
     * Chooses the logical shard of a new user, uniformly at random over 0..{@value #MAX}.
     *
     * <p>Why random rather than round-robin: a random draw needs no state, so every instance of
     * the user service, including one just restarted, spreads users evenly without coordinating.
     * Round-robin is only even with one shared counter (a coordination point on the sign-up
     * path); per-instance counters restart at the same value and pile users onto the same
     * shards. The deviation of a random draw is binomial: with {@code n} users per shard on
     * average it is about {@code sqrt(n)}, shrinking relative to {@code n} as users grow. Nor is
     * the shard derived from the username: usernames can change, and a hash would let anyone
     * aim many accounts at one shard.
     *
     * @return a logical shard, 0..{@value #MAX}
     */
    public static int forUser() {
        return forUser(ThreadLocalRandom.current());
    }

    /**
     * As {@link #forUser()}, drawing from {@code random} (for reproducible tests and data sets).
     *
     * @return a logical shard, 0..{@value #MAX}
     */
    public static int forUser(RandomGenerator random) {
        return random.nextInt(COUNT);
    }

    /**
     * The logical shard of the uniqueness claim for {@code normalizedKey} (a username or an
     * email, lower-cased with {@link #normalizeKey(String)}).
     *
     * <p>Algorithm: MurmurHash3 x86 32-bit (seed 0) of the key's UTF-8 bytes, keeping the low 13
     * bits. Unlike {@link String#hashCode()}, MurmurHash3 mixes every input bit into the low
     * bits, so similar keys ({@code alice1}, {@code alice2}) spread over all shards. The result
     * is the same on every JVM and version; changing it would strand every existing claim on the
     * wrong shard, so tests pin a few outputs.
     *
     * @param normalizedKey a non-empty, already lower-cased value
     * @return a logical shard, 0..{@value #MAX}
     * @throws IllegalArgumentException if {@code normalizedKey} is empty or not lower-cased:
     *                                  hashing {@code Alice} and {@code alice} to different
     *                                  shards would let both be claimed
     * @throws NullPointerException     if {@code normalizedKey} is null
     */
    public static int forKey(String normalizedKey) {
        if (normalizedKey.isEmpty()) {
            throw new IllegalArgumentException("normalizedKey is empty");
        }
        if (!normalizedKey.equals(normalizeKey(normalizedKey))) {
            throw new IllegalArgumentException("normalizedKey '" + normalizedKey
                    + "' is not lower-cased; pass LogicalShards.normalizeKey(value)");
        }
        byte[] bytes = normalizedKey.getBytes(StandardCharsets.UTF_8);
        return Murmur3.hash32(bytes, KEY_HASH_SEED) & MAX;
    }

    /**
     * The form of a username or email that uniqueness is decided on: lower-cased with
     * {@link Locale#ROOT} (so the result does not depend on the server's locale). Trimming and
     * validation are the caller's concern.
     *
     * @throws NullPointerException if {@code value} is null
     */
    public static String normalizeKey(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * Returns {@code logicalShard} if it is within 0..{@value #MAX}.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static int requireValid(int logicalShard) {
        if (logicalShard < 0 || logicalShard > MAX) {
            throw new IllegalArgumentException(
                    "logicalShard " + logicalShard + " is outside 0.." + MAX);
        }
        return logicalShard;
    }
}
