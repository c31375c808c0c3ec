package io.chirp.platform.database;

import java.security.Principal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.chirp.platform.sharding.ReadRouting;
import io.chirp.platform.sharding.ReplicaMonitor;
import io.chirp.platform.sharding.ShardedDataSources;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Read-your-writes over replicas: after a caller's successful write (any 2xx answer to a method
 * other than GET, HEAD or OPTIONS), that caller reads a database's replica only once it has
 * replayed past the write, and the primary until then; everyone else's stale-tolerant reads keep
 * going to the replicas.
 *
 * <p>The pin: when the write's answer is ready, the WAL insert position of every primary that has
 * a replica is read ({@link ReplicaMonitor#insertPosition}, past the write's commit record) and
 * kept as {@link WritePositions} in {@code chirp:ryw:<service>:<user id>}, a Redis hash (so it holds
 * across every instance of the service; merged with an earlier pin by a Lua script keeping the
 * larger position per database), expiring {@code chirp.replicas.read-your-writes-window} after
 * the last write, and in this instance's memory. A read of database {@code d} by a pinned caller
 * goes to {@code d}'s replica when the position the replica had replayed at its last measurement
 * ({@link io.chirp.platform.sharding.Replica#replayedLsn()}, every
 * {@code chirp.replicas.refresh-interval}) is at or past the pin's position for {@code d}, so
 * usually a few hundred milliseconds after the write instead of the whole window. The pin is set
 * before the write's answer leaves.
 *
 * <p>Failures fall to the primary, which is always correct: a primary that cannot be asked its
 * position pins its database for the whole window ({@link WritePositions#UNKNOWN}); a pin that
 * cannot be read from Redis sends the request's reads to the primaries. After the window a replica
 * in rotation is at most {@code max-lag + refresh-interval} behind
 * ({@link io.chirp.platform.sharding.ReplicaMonitor}), and the window is longer (checked at
 * start). Anonymous callers never write, so they are never pinned; a request with
 * {@value #READ_PRIMARY_HEADER} reads the primaries. Without replicas nothing is pinned.
 *
 * <p>Source: Kleppmann, <i>Designing Data-Intensive Applications</i>, ch. 5, "Reading Your Own
 * Writes": "the client can remember the timestamp of its most recent write [...] The timestamp
 * could be a logical timestamp (something that indicates ordering of writes, such as the log
 * sequence number)"; here the log sequence numbers are PostgreSQL's WAL positions.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public class ReadYourWrites implements HttpServerFilter, ReadRouting {

    /**
     * Sent by a service that builds a read model from another's listings (timeline-service learning
     * a follow set or an author's posts as a whole): a whole read from a replica that has not
     * replayed the newest change would be taken for the whole truth. The gateway strips it from
     * clients' requests.
     */
    public static final String READ_PRIMARY_HEADER = "X-Chirp-Read-Primary";

    /** The request attribute holding the current caller's {@link WritePositions}, once looked up. */
    static final String PINNED = "chirp.read-your-writes.pinned";
    /** The request attribute holding the caller's pin key, for the lookup. */
    static final String CALLER = "chirp.read-your-writes.caller";

    /**
     * KEYS[1] the pin; ARGV[1] its expiry in ms; then database, position pairs: keeps the larger
     * position per database (fixed-width hexadecimal strings compare as the numbers do).
     */
    private static final String MERGE = String.join("\n",
            "for i = 2, #ARGV, 2 do",
            "  local current = redis.call('HGET', KEYS[1], ARGV[i])",
            "  if (not current) or ARGV[i + 1] > current then",
            "    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])",
            "  end",
            "end",
            "redis.call('PEXPIRE', KEYS[1], ARGV[1])",
            "return 1");
    /** How long the primaries' positions may take to read before the pin is taken as unknown. */
    private static final long POSITIONS_TIMEOUT_MS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ReadYourWrites.class);
    private static final long RECONNECT = TimeUnit.SECONDS.toNanos(5);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Provider<RedisClient> redisClient;
    private final Provider<ShardedDataSources> shards;
    private final ExecutorService blocking;
    private final boolean redisConfigured;
    private final RedisURI redisUri;
    /** The connection, opened without blocking on first use; a failed one is retried after {@link #RECONNECT}. */
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> connection =
            new AtomicReference<>();
    private volatile long failedAt;
    private final String prefix;
    private final Duration window;
    private final Cache<String, WritePositions> localPins;
    private final Counter pinsSet;
    private final Counter pinnedReads;
    private final Counter caughtUpReads;
    private final Counter redisFailures;

    ReadYourWrites(Provider<RedisClient> redisClient, Provider<ShardedDataSources> shards,
                   @Named(TaskExecutors.BLOCKING) ExecutorService blocking,
                   @Value("${redis.uri:}") String redisUri,
                   @Value("${micronaut.application.name}") String service,
                   ReplicaProperties settings, MeterRegistry meters) {
        this.redisClient = redisClient;
        this.shards = shards;
        this.blocking = blocking;
        this.redisConfigured = !redisUri.isBlank();
        this.redisUri = redisConfigured ? RedisURI.create(redisUri) : null;
        this.prefix = "chirp:ryw:" + service + ":";
        this.window = settings.readYourWritesWindow();
        this.localPins = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(1_000_000).build();
        this.pinsSet = Counter.builder("chirp.read.your.writes.pins").description("Callers pinned to the primaries after a write").register(meters);
        this.pinnedReads = Counter.builder("chirp.read.your.writes.pinned.requests").description("Requests of pinned callers").register(meters);
        this.caughtUpReads = Counter.builder("chirp.read.your.writes.caught.up.reads")
                .description("Reads of pinned callers served by a replica that had replayed past their write").register(meters);
        this.redisFailures = Counter.builder("chirp.read.your.writes.redis.failures").description("Pin reads or writes Redis failed").register(meters);
    }

    /**
     * Looks the caller's pin up on the first stale-tolerant read of the request (memory, then Redis,
     * waiting at most 500 ms), on the thread doing the read, which is one that may block (JDBC).
     */
    @Override
    public boolean mayReadReplica(String physical, long replayedLsn) {
        HttpRequest<Object> request = ServerRequestContext.currentRequest().orElse(null);
        if (request == null) {
            return true;
        }
        WritePositions pin = request.getAttribute(PINNED, WritePositions.class).orElse(null);
        if (pin == null) {
            String key = request.getAttribute(CALLER, String.class).orElse(null);
            pin = key == null ? WritePositions.NONE : pinOf(key);
            request.setAttribute(PINNED, pin);
            if (pin != WritePositions.NONE) {
                pinnedReads.increment();
            }
        }
        boolean mayRead = pin.allowsReplica(physical, replayedLsn);
        if (mayRead && pin != WritePositions.NONE) {
            caughtUpReads.increment();
        }
        return mayRead;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    /**
     * Does no I/O before the request proceeds: a continuation on a Redis client's thread would
     * bind the request body off the event loop, racing Netty's delivery of it (micronaut-http's
     * shared body buffer asserts against exactly that). The pin is read when a read needs it
     * ({@link #mayReadReplica}) and written once a write has answered.
     */
    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (request.getHeaders().contains(READ_PRIMARY_HEADER)) {
            request.setAttribute(PINNED, WritePositions.PRIMARIES);
            return chain.proceed(request);
        }
        Optional<String> caller = request.getUserPrincipal().map(Principal::getName);
        if (caller.isEmpty() || shards.get().replicas().isEmpty()) {
            return chain.proceed(request);
        }
        String key = prefix + caller.get();
        request.setAttribute(CALLER, key);
        if (READS.contains(request.getMethod())) {
            return chain.proceed(request);
        }
        return Flux.from(chain.proceed(request))
                .concatMap(response -> response.getStatus().getCode() < 300
                        ? Mono.fromCompletionStage(positionsNow().thenCompose(positions -> pin(key, positions)))
                                .thenReturn(response)
                        : Mono.just(response));
    }

    /** The caller's pin: this instance's, else the one in Redis; {@link WritePositions#NONE} when not pinned. */
    private WritePositions pinOf(String key) {
        WritePositions local = localPins.getIfPresent(key);
        if (local != null || !redisConfigured) {
            return local == null ? WritePositions.NONE : local;
        }
        try {
            Map<String, String> fields = connection().thenCompose(redis -> redis.async().hgetall(key))
                    .toCompletableFuture().get(500, TimeUnit.MILLISECONDS);
            WritePositions pin = WritePositions.fromFields(fields);
            return pin == null ? WritePositions.NONE : pin;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return redisFailed("read", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return redisFailed("read", e);
        }
    }

    /**
     * The WAL insert position of every primary with a replica, read on the blocking executor (JDBC);
     * a primary that cannot be asked in time gets {@link WritePositions#UNKNOWN}.
     */
    private CompletableFuture<WritePositions> positionsNow() {
        ShardedDataSources current = shards.get();
        Map<String, Long> unknown = new TreeMap<>();
        current.replicas().keySet().forEach(database -> unknown.put(database, WritePositions.UNKNOWN));
        return CompletableFuture.supplyAsync(() -> {
                    Map<String, Long> positions = new TreeMap<>();
                    current.replicas().keySet().forEach(database -> {
                        long position = WritePositions.UNKNOWN;
                        try {
                            position = ReplicaMonitor.insertPosition(current.all().get(database));
                        } catch (SQLException | RuntimeException e) {
                            LOG.debug("read-your-writes: the position of {} is unknown: {}", database, e.toString());
                        }
                        positions.put(database, position);
                    });
                    return WritePositions.of(positions);
                }, blocking)
                .completeOnTimeout(WritePositions.of(unknown), POSITIONS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private CompletionStage<Void> pin(String key, WritePositions positions) {
        localPins.asMap().merge(key, positions, WritePositions::max);
        pinsSet.increment();
        if (!redisConfigured) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> arguments = new ArrayList<>();
        arguments.add(Long.toString(window.toMillis()));
        positions.toFields().forEach((database, position) -> {
            arguments.add(database);
            arguments.add(position);
        });
        try {
            return connection().thenCompose(redis -> redis.async().<Long>eval(MERGE, ScriptOutputType.INTEGER,
                            new String[] {key}, arguments.toArray(String[]::new)))
                    .<Void>thenApply(ok -> null)
                    .exceptionally(e -> {
                        redisFailed("write", e);
                        return null;
                    })
                    .toCompletableFuture().completeOnTimeout(null, 500, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            redisFailed("write", e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * The shared connection, opened asynchronously (never blocking the event loop that runs this
     * filter); after a failure a new one is tried once {@link #RECONNECT} has passed.
     */
    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
        boolean failed = current != null && current.isCompletedExceptionally();
        if (current != null && (!failed || System.nanoTime() - failedAt < RECONNECT)) {
            return current;
        }
        CompletableFuture<StatefulRedisConnection<String, String>> next = new CompletableFuture<>();
        if (!connection.compareAndSet(current, next)) {
            return connection.get();
        }
        redisClient.get().connectAsync(StringCodec.UTF8, redisUri).whenComplete((opened, e) -> {
            if (e != null) {
                failedAt = System.nanoTime();
                next.completeExceptionally(e);
            } else {
                next.complete(opened);
            }
        });
        return next;
    }

    /** A failed pin read counts as pinned to the primaries: the primary is always correct. */
    private WritePositions redisFailed(String what, @Nullable Throwable e) {
        if (e != null) {
            redisFailures.increment();
            LOG.debug("read-your-writes pin {} failed: {}", what, e.toString());
        }
        return WritePositions.PRIMARIES;
    }
}
