package io.chirp.platform.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;

/**
 * Bearer tokens whose signature and claims were verified, with the {@link Authentication} they
 * gave, so that a token presented again (every request of a session, and once per hop: the
 * gateway and each service verify it) is not verified again. Verifying an RS256 signature
 * ({@code RSASSAVerifier.verify}) was 12–13 % of the CPU of a home-timeline read
 * (BENCHMARKS.md, "What the profile of the home-timeline read shows").
 * <ul>
 *   <li>The key is the exact token string: a token differing in any character (a tampered
 *       signature, other claims) is a miss and is verified in full.</li>
 *   <li>An entry expires at its token's {@code exp}, or {@code maxTtl} after it was added if that
 *       comes first; {@link #get} also checks {@code exp} against the wall clock, so a token is
 *       never served once expired.</li>
 *   <li>At most {@code maxSize} entries (Caffeine's W-TinyLFU eviction).</li>
 *   <li>Only successes are put (by {@link CachingJsonWebTokenValidator}); a refused token is
 *       verified again each time it is presented.</li>
 * </ul>
 * What this does not change: a token is stateless until its {@code exp} (15 min from
 * user-service), so a deleted or signed-out user's token was already accepted by every service
 * until then; a cache hit accepts nothing that a fresh verification would refuse, except a token
 * whose signing key was removed from user-service's JWKS, for at most {@code maxTtl}.
 * <p>
 * Thread-safe. Statistics are recorded for {@code TokenCacheMetrics}.
 */
public final class VerifiedTokenCache {

    private final Cache<String, Entry> cache;
    private final Duration maxTtl;
    private final Clock clock;

    /** One verified token: what it authenticates, and when it stops being valid. */
    private record Entry(Authentication authentication, Instant expiresAt) {
    }

    /**
     * @param maxSize the most entries held, at least 1
     * @param maxTtl  the longest an entry is served, positive
     * @param clock   the wall clock that {@code exp} is compared with
     * @param ticker  Caffeine's time source for expiry, in nanoseconds ({@link Ticker#systemTicker()})
     */
    public VerifiedTokenCache(long maxSize, Duration maxTtl, Clock clock, Ticker ticker) {
        if (maxSize < 1 || maxTtl.isNegative() || maxTtl.isZero()) {
            throw new IllegalArgumentException("maxSize must be >= 1 and maxTtl positive: " + maxSize + ", " + maxTtl);
        }
        this.maxTtl = maxTtl;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(new UntilExpiry())
                .ticker(ticker)
                .recordStats()
                .build();
    }

    /** A cache of {@code properties.maxSize()} entries on the system clocks. */
    public VerifiedTokenCache(TokenCacheProperties properties) {
        this(properties.maxSize(), properties.maxTtl(), Clock.systemUTC(), Ticker.systemTicker());
    }

    /**
     * The authentication of {@code token} if it was verified before and has not expired, else
     * {@code null} (a miss in the statistics).
     */
    @Nullable
    public Authentication get(String token) {
        Entry entry = cache.getIfPresent(token);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            // Caffeine's ticker and the wall clock may disagree by a little; exp is the authority
            cache.invalidate(token);
            return null;
        }
        return entry.authentication();
    }

    /**
     * Remembers that {@code token} was verified and authenticates {@code authentication}.
     *
     * @param expiresAt the token's {@code exp}, or {@code null} if it has none (then only
     *                  {@code maxTtl} bounds the entry); a time already past is not cached
     */
    public void put(String token, Authentication authentication, @Nullable Instant expiresAt) {
        Instant now = clock.instant();
        Instant bound = now.plus(maxTtl);
        Instant until = expiresAt == null || expiresAt.isAfter(bound) ? bound : expiresAt;
        if (until.isAfter(now)) {
            cache.put(token, new Entry(authentication, until));
        }
    }

    /** The number of entries, approximately (expired ones may not be removed yet). */
    public long estimatedSize() {
        return cache.estimatedSize();
    }

    /** Runs pending evictions now; for tests of the size bound. */
    void cleanUp() {
        cache.cleanUp();
    }

    /** The underlying cache, for {@code CaffeineCacheMetrics}. */
    Cache<String, ?> caffeine() {
        return cache;
    }

    /** Each entry lives until its own expiry, measured from when it was added. */
    private final class UntilExpiry implements Expiry<String, Entry> {

        @Override
        public long expireAfterCreate(String token, Entry entry, long currentTime) {
            long nanos = Duration.between(clock.instant(), entry.expiresAt()).toNanos();
            return Math.max(0, nanos);
        }

        @Override
        public long expireAfterUpdate(String token, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(token, entry, currentTime);
        }

        @Override
        public long expireAfterRead(String token, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
