package io.chirp.platform.database;

import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.chirp.platform.sharding.ReadRouting;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
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
import jakarta.inject.Provider;
import reactor.core.publisher.Mono;

/**
 * Read-your-writes over replicas: after a caller's successful write (any 2xx answer to a method
 * other than GET, HEAD or OPTIONS), that caller's reads go to the primaries for
 * {@code chirp.replicas.read-your-writes-window}; everyone else's stale-tolerant reads keep
 * going to the replicas.
 *
 * <p>The pin is {@code chirp:ryw:<service>:<user id>} in Redis with that expiry (so it holds
 * across every instance of the service), set before the write's answer leaves, and also kept in
 * this instance's memory. A read checks memory first, then Redis. When Redis cannot be reached
 * the read is treated as pinned (primary): correct, only slower. Anonymous callers never write,
 * so they are never pinned. A request with {@value #READ_PRIMARY_HEADER} reads the primaries too.
 *
 * <p>Why a window is enough: a replica in rotation is at most {@code max-lag + refresh-interval}
 * behind ({@link io.chirp.platform.sharding.ReplicaMonitor}), and the window is longer (checked
 * at start). This is the "pin the user to the leader for a while after a write" technique
 * (Kleppmann, <i>Designing Data-Intensive Applications</i>, ch. 5, "Reading Your Own Writes").
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

    /** The request attribute that says the current caller must read the primaries. */
    static final String PINNED = "chirp.read-your-writes.pinned";

    private static final Logger LOG = LoggerFactory.getLogger(ReadYourWrites.class);
    private static final long RECONNECT = TimeUnit.SECONDS.toNanos(5);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Provider<RedisClient> redisClient;
    private final boolean redisConfigured;
    private final RedisURI redisUri;
    /** The connection, opened without blocking on first use; a failed one is retried after {@link #RECONNECT}. */
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> connection =
            new AtomicReference<>();
    private volatile long failedAt;
    private final String prefix;
    private final Duration window;
    private final Cache<String, Boolean> localPins;
    private final Counter pinsSet;
    private final Counter pinnedReads;
    private final Counter redisFailures;

    ReadYourWrites(Provider<RedisClient> redisClient,
                   @Value("${redis.uri:}") String redisUri,
                   @Value("${micronaut.application.name}") String service,
                   ReplicaProperties settings, MeterRegistry meters) {
        this.redisClient = redisClient;
        this.redisConfigured = !redisUri.isBlank();
        this.redisUri = redisConfigured ? RedisURI.create(redisUri) : null;
        this.prefix = "chirp:ryw:" + service + ":";
        this.window = settings.readYourWritesWindow();
        this.localPins = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(1_000_000).build();
        this.pinsSet = Counter.builder("chirp.read.your.writes.pins").description("Callers pinned to the primaries after a write").register(meters);
        this.pinnedReads = Counter.builder("chirp.read.your.writes.pinned.requests").description("Requests of pinned callers").register(meters);
        this.redisFailures = Counter.builder("chirp.read.your.writes.redis.failures").description("Pin reads or writes Redis failed").register(meters);
    }

    @Override
    public boolean mustReadPrimary() {
        return ServerRequestContext.currentRequest()
                .flatMap(request -> request.getAttribute(PINNED, Boolean.class))
                .orElse(false);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (request.getHeaders().contains(READ_PRIMARY_HEADER)) {
            request.setAttribute(PINNED, Boolean.TRUE);
            return chain.proceed(request);
        }
        Optional<String> caller = request.getUserPrincipal().map(Principal::getName);
        if (caller.isEmpty()) {
            return chain.proceed(request);
        }
        String key = prefix + caller.get();
        boolean write = !READS.contains(request.getMethod());
        return Mono.fromCompletionStage(isPinned(key))
                .flatMapMany(pinned -> {
                    if (pinned) {
                        request.setAttribute(PINNED, Boolean.TRUE);
                        pinnedReads.increment();
                    }
                    return chain.proceed(request);
                })
                .concatMap(response -> write && response.getStatus().getCode() < 300
                        ? Mono.fromCompletionStage(pin(key)).thenReturn(response)
                        : Mono.just(response));
    }

    private CompletionStage<Boolean> isPinned(String key) {
        if (localPins.getIfPresent(key) != null) {
            return CompletableFuture.completedFuture(true);
        }
        if (!redisConfigured) {
            return CompletableFuture.completedFuture(false);
        }
        try {
            return connection().thenCompose(redis -> redis.async().exists(key))
                    .thenApply(count -> count > 0)
                    .exceptionally(e -> redisFailed("read", e))
                    .toCompletableFuture().completeOnTimeout(redisFailed("read", null), 500, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(redisFailed("read", e));
        }
    }

    private CompletionStage<Void> pin(String key) {
        localPins.put(key, Boolean.TRUE);
        pinsSet.increment();
        if (!redisConfigured) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return connection().thenCompose(redis -> redis.async().set(key, "1", SetArgs.Builder.px(window.toMillis())))
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

    /** A failed pin read counts as pinned: the primary is always correct. */
    private boolean redisFailed(String what, @Nullable Throwable e) {
        if (e != null) {
            redisFailures.increment();
            LOG.debug("read-your-writes pin {} failed: {}", what, e.toString());
        }
        return true;
    }
}
