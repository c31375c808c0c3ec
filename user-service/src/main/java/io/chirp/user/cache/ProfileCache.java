package io.chirp.user.cache;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.user.domain.ProfileReads;
import io.chirp.user.domain.User;
import io.chirp.user.domain.UserStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Cache-aside public profiles in Redis: {@link #find} reads {@code chirp:profile:{id}} and, on a
 * miss, PostgreSQL ({@link UserStore#find}), then writes the profile back as JSON
 * ({@link CachedProfile}) with a TTL of {@code ttl} plus up to {@code ttlJitter} of it.
 * <p>
 * <b>Invalidation.</b> Every change of a cached field deletes the key after its transaction
 * committed: the writes through {@link StoreDecorators}
 * (profile, deletion, tweet count, both users' follow counts), and again on the events
 * user-service publishes through its outbox ({@code events.ProfileCacheListener}: at-least-once, so a
 * change whose direct delete was lost, because the process died after the commit or Redis was
 * unreachable, is still invalidated; deleting is idempotent). The counts are therefore exact up to
 * the race every cache-aside has: a miss that read the row before a commit may write it back after
 * that commit's delete. Within one instance a fill never writes back once its key was invalidated
 * meanwhile; across instances the event's delete, which comes later, removes such a value, and the
 * TTL bounds whatever is left (a tweet count, whose events are tweet-service's).
 * <p>
 * <b>Stampede protection.</b> Single flight per key within an instance: concurrent reads of one
 * key share the first one's lookup ({@code inFlight}), so N concurrent misses make one database
 * read per instance. Unknown and deleted users are not cached (no negative caching): a user just
 * registered must be found at once, and an unknown id costs one primary-key probe.
 * <p>
 * <b>Redis down.</b> A read that cannot reach Redis (rejected while disconnected, or slower than
 * {@code commandTimeout}) reads PostgreSQL and is counted; an invalidation that cannot reach it is
 * counted and left to the event's (whose listener retries until Redis is back).
 * <p>
 * <b>Metrics</b> on {@code /prometheus}, in the shape of the verified-token cache's:
 * {@code cache_gets_total{cache="chirp.profile.cache",result="hit"|"miss"}} (a miss is a read of
 * PostgreSQL, a hit a read answered without one: from Redis, or by a concurrent read of the same
 * key), so the hit ratio is {@code hit / (hit + miss)};
 * {@code cache_puts_total{cache="chirp.profile.cache"}};
 * {@code chirp_profile_cache_coalesced_total} (reads that joined another's lookup);
 * {@code chirp_profile_cache_invalidations_total{source="write"|"event"}};
 * {@code chirp_profile_cache_redis_failures_total{operation="connect"|"get"|"set"|"del"}}.
 * <p>
 * <b>Replicas.</b> A miss is read from the primary, never a replica: a fill from a replica that
 * has not replayed the change an invalidation just announced would put the old profile back for
 * a whole TTL (the cache/replica race). With the cache off, profiles are read from the replicas
 * ({@link UserStore#findAllowingStale}) like the other stale-tolerant reads.
 */
@Singleton
public class ProfileCache implements ProfileReads {

    /** The value of the {@code cache} tag. */
    public static final String NAME = "chirp.profile.cache";
    /** Keys are this prefix and the user id. */
    public static final String KEY_PREFIX = "chirp:profile:";

    private static final Logger LOG = LoggerFactory.getLogger(ProfileCache.class);

    private final UserStore store;
    private final ProfileCacheProperties properties;
    private final JsonMapper json;
    private final LazyRedisConnection redis;
    private final ConcurrentHashMap<Long, CompletableFuture<Optional<User>>> inFlight = new ConcurrentHashMap<>();
    /** Moved by every invalidation: a batch fill that began before one does not write back. */
    private final AtomicLong invalidations = new AtomicLong();
    private final Counter hits;
    private final Counter misses;
    private final Counter puts;
    private final Counter coalesced;
    private final MeterRegistry meters;

    public ProfileCache(UserStore store, ProfileCacheProperties properties, JsonMapper json,
                        BeanProvider<RedisClient> redisClient, MeterRegistry meters) {
        this.store = store;
        this.properties = properties;
        this.json = json;
        this.meters = meters;
        this.redis = properties.enabled()
                ? new LazyRedisConnection(redisClient.get(), properties.reconnectInterval(), failures("connect"))
                : null;
        String gets = "the number of times cache lookup methods have returned a cached (hit) or uncached (newly"
                + " loaded or null) value (miss).";
        this.hits = Counter.builder("cache.gets").tag("cache", NAME).tag("result", "hit").description(gets)
                .register(meters);
        this.misses = Counter.builder("cache.gets").tag("cache", NAME).tag("result", "miss").description(gets)
                .register(meters);
        this.puts = Counter.builder("cache.puts").tag("cache", NAME)
                .description("The number of entries added to the cache").register(meters);
        this.coalesced = Counter.builder("chirp.profile.cache.coalesced")
                .description("Profile reads that joined a concurrent lookup of the same key (single flight)")
                .register(meters);
    }

    /** Whether profiles are cached ({@code chirp.profile-cache.enabled}). */
    public boolean enabled() {
        return redis != null;
    }

    /** The Redis key of a user's profile. */
    public static String key(long userId) {
        return KEY_PREFIX + userId;
    }

    @Override
    public Optional<User> find(long id) {
        if (redis == null) {
            // not cached: a replica may answer (a cache is filled from the primary only, see the class comment)
            return store.findAllowingStale(id);
        }
        CompletableFuture<Optional<User>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<User>> running = inFlight.putIfAbsent(id, mine);
        if (running != null) {
            coalesced.increment();
            hits.increment();
            return join(running);
        }
        try {
            Optional<User> user = lookup(id, mine);
            mine.complete(user);
            return user;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(id, mine);
        }
    }

    private Optional<User> lookup(long id, CompletableFuture<Optional<User>> mine) {
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isPresent()) {
            try {
                String cached = await(commands.get().get(key(id)));
                if (cached != null) {
                    Optional<User> decoded = decode(id, cached);
                    if (decoded.isPresent()) {
                        hits.increment();
                        return decoded;
                    }
                }
            } catch (RedisUnavailable e) {
                failed("get", e);
            }
        }
        misses.increment();
        long epoch = invalidations.get();
        Optional<User> user = store.find(id);
        // an invalidation since this lookup began removed it from inFlight: what was read may predate that change
        if (user.isPresent() && inFlight.get(id) == mine) {
            put(commands, user.get());
            evictIfInvalidatedSince(epoch, commands, List.of(id));
        }
        return user;
    }

    @Override
    public Map<Long, User> findAll(Collection<Long> ids) {
        if (redis == null || ids.isEmpty()) {
            return store.findAllAllowingStale(ids);
        }
        List<Long> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        Map<Long, User> found = new HashMap<>();
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isPresent()) {
            try {
                List<KeyValue<String, String>> values = await(commands.get().mget(
                        distinct.stream().map(ProfileCache::key).toArray(String[]::new)));
                for (int i = 0; i < values.size(); i++) {
                    KeyValue<String, String> value = values.get(i);
                    long id = distinct.get(i);
                    if (value.hasValue()) {
                        decode(id, value.getValue()).ifPresent(user -> found.put(id, user));
                    }
                }
            } catch (RedisUnavailable e) {
                failed("get", e);
            }
        }
        hits.increment(found.size());
        List<Long> missing = distinct.stream().filter(id -> !found.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            misses.increment(missing.size());
            long epoch = invalidations.get();
            Map<Long, User> loaded = store.findAll(missing);
            found.putAll(loaded);
            if (invalidations.get() == epoch) {
                loaded.values().forEach(user -> put(commands, user));
                evictIfInvalidatedSince(epoch, commands, loaded.keySet());
            }
        }
        return found;
    }

    /**
     * Deletes the cached profiles of {@code userIds}, after their change committed; reads that are
     * under way in this instance will not write them back.
     *
     * @param source {@code write} (this instance changed them) or {@code event} (a consumed event)
     * @return false when Redis could not be reached (counted and logged), true otherwise, also when
     *         the cache is off
     */
    public boolean invalidate(Collection<Long> userIds, String source) {
        if (redis == null || userIds.isEmpty()) {
            return true;
        }
        invalidations.incrementAndGet();
        userIds.forEach(inFlight::remove);
        meters.counter("chirp.profile.cache.invalidations", "source", source).increment(userIds.size());
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isEmpty()) {
            failed("del", new RedisUnavailable("not connected", null));
            return false;
        }
        try {
            await(commands.get().del(userIds.stream().map(ProfileCache::key).toArray(String[]::new)));
            return true;
        } catch (RedisUnavailable e) {
            failed("del", e);
            return false;
        }
    }

    /**
     * Closes the check-then-write race of a fill: an invalidation that came between the check
     * and the write-back ({@link #put} is not awaited) may have deleted the key before the SET
     * reached Redis. Invalidations move {@link #invalidations} before their DEL, so if it moved
     * since the fill began, the fill deletes what it just wrote; one connection keeps the SET and
     * this DEL in order. Costs an extra DEL only when some invalidation overlapped a fill.
     */
    private void evictIfInvalidatedSince(long epoch, Optional<RedisAsyncCommands<String, String>> commands,
                                         Collection<Long> ids) {
        if (commands.isEmpty() || ids.isEmpty() || invalidations.get() == epoch) {
            return;
        }
        commands.get().del(ids.stream().map(ProfileCache::key).toArray(String[]::new))
                .whenComplete((deleted, failure) -> {
                    if (failure != null) {
                        failed("del", failure);
                    }
                });
    }

    private void put(Optional<RedisAsyncCommands<String, String>> commands, User user) {
        if (commands.isEmpty()) {
            return;
        }
        String value;
        try {
            value = json.writeValueAsString(CachedProfile.of(user));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the profile of " + user.id() + " as JSON", e);
        }
        long ttlMillis = properties.ttl().toMillis();
        long jitterMillis = (long) (ttlMillis * properties.ttlJitter() * ThreadLocalRandom.current().nextDouble());
        // not awaited: the read does not wait for its write-back; a failure is only counted
        commands.get().set(key(user.id()), value, SetArgs.Builder.px(ttlMillis + jitterMillis))
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        puts.increment();
                    } else {
                        failed("set", failure);
                    }
                });
    }

    private Optional<User> decode(long id, String cached) {
        try {
            return Optional.of(json.readValue(cached, CachedProfile.class).toUser());
        } catch (IOException | RuntimeException e) {
            // e.g. an older format: read the row and overwrite it
            LOG.warn("profile cache: unreadable entry {} ignored: {}", key(id), e.toString());
            return Optional.empty();
        }
    }

    private <T> T await(RedisFuture<T> command) {
        try {
            return command.get(properties.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RedisUnavailable("failed", e.getCause());
        } catch (TimeoutException e) {
            throw new RedisUnavailable("no answer within " + properties.commandTimeout().toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailable("interrupted", e);
        }
    }

    private static <T> T join(CompletableFuture<T> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private void failed(String operation, Throwable failure) {
        failures(operation).increment();
        LOG.debug("profile cache: Redis {} failed: {}", operation, failure.toString());
    }

    private Counter failures(String operation) {
        return Counter.builder("chirp.profile.cache.redis.failures").tag("operation", operation)
                .description("Profile cache operations that could not reach Redis (reads then went to PostgreSQL)")
                .register(meters);
    }

    @PreDestroy
    void close() {
        if (redis != null) {
            redis.close();
        }
    }

    /** Redis did not answer in time or refused the command (e.g. while disconnected). */
    private static final class RedisUnavailable extends RuntimeException {
        RedisUnavailable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
