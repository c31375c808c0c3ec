package io.chirp.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import reactor.core.publisher.Mono;

/**
 * Rate limits at the front door: a token bucket per client address and, when the request
 * carries a bearer token, one per token (the token is hashed, never stored), both kept in
 * Redis by one atomic script per bucket, so every gateway instance shares them. Answers carry
 * {@code X-RateLimit-Limit} and {@code X-RateLimit-Remaining}; an empty bucket answers 429
 * problem+json with {@code Retry-After} (seconds). If Redis fails, requests pass (fail open)
 * and {@code chirp_gateway_rate_limit_errors_total} counts it: an outage of the limiter must
 * not become an outage of the API.
 */
@Filter("/api/v1/**")
class RateLimitFilter implements HttpServerFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitFilter.class);

    /**
     * A token bucket with continuous refill. KEYS[1] the bucket; ARGV capacity, refill per
     * second, now (ms). Returns {allowed (0/1), whole tokens left, ms until the next token}.
     */
    private static final String TAKE = """
            local capacity = tonumber(ARGV[1])
            local rate = tonumber(ARGV[2])
            local now = tonumber(ARGV[3])
            local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(bucket[1]) or capacity
            local at = tonumber(bucket[2]) or now
            tokens = math.min(capacity, tokens + (math.max(0, now - at) * rate / 1000))
            local allowed = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
            redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
            local wait = 0
            if allowed == 0 then wait = math.ceil((1 - tokens) * 1000 / rate) end
            return {allowed, math.floor(tokens), wait}
            """;

    private final StatefulRedisConnection<String, String> redis;
    private final RateLimitProperties properties;
    private final ErrorResponseProcessor<?> errors;
    private final Counter limited;
    private final Counter failures;

    RateLimitFilter(StatefulRedisConnection<String, String> redis, RateLimitProperties properties,
                    ErrorResponseProcessor<?> errors, MeterRegistry metrics) {
        this.redis = redis;
        this.properties = properties;
        this.errors = errors;
        this.limited = Counter.builder("chirp.gateway.rate.limited").description("requests answered 429").register(metrics);
        this.failures = Counter.builder("chirp.gateway.rate.limit.errors")
                .description("requests let through because the limiter's Redis failed").register(metrics);
    }

    /** After the token check, before routing. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.TRACING.after() + 200;
    }

    private record Verdict(boolean allowed, long remaining, long waitMillis, int limit) {
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (!properties.enabled()) {
            return chain.proceed(request);
        }
        InetSocketAddress remote = request.getRemoteAddress();
        String ip = remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
        Mono<Verdict> byIp = take(properties.keyPrefix() + ":ip:" + ip, properties.perIpCapacity(), properties.perIpRefillPerSecond());
        Mono<Verdict> verdict = request.getHeaders().getAuthorization()
                .filter(h -> h.startsWith("Bearer "))
                .map(h -> byIp.zipWith(take(properties.keyPrefix() + ":token:" + sha256(h.substring(7)), properties.perTokenCapacity(),
                        properties.perTokenRefillPerSecond()), RateLimitFilter::stricter))
                .orElse(byIp);
        return verdict
                .onErrorResume(e -> {
                    failures.increment();
                    LOG.warn("rate limiter unavailable, letting the request through: {}", e.toString());
                    return Mono.just(new Verdict(true, -1, 0, -1));
                })
                .flatMap(v -> {
                    if (!v.allowed()) {
                        limited.increment();
                        long seconds = Math.max(1, (v.waitMillis() + 999) / 1000);
                        MutableHttpResponse<?> tooMany = errors.processResponse(ErrorContext.builder(request)
                                        .errorMessage("rate limit exceeded; retry after " + seconds + " s").build(),
                                HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS));
                        return Mono.just(headers(tooMany.header("Retry-After", Long.toString(seconds)), v));
                    }
                    return Mono.from(chain.proceed(request)).map(response -> headers(response, v));
                });
    }

    private Mono<Verdict> take(String key, int capacity, int rate) {
        return Mono.fromCompletionStage(redis.async().<List<Long>>eval(TAKE, ScriptOutputType.MULTI, new String[] {key},
                        Integer.toString(capacity), Integer.toString(rate), Long.toString(System.currentTimeMillis())))
                .map(r -> new Verdict(r.get(0) == 1L, r.get(1), r.get(2), capacity));
    }

    private static Verdict stricter(Verdict a, Verdict b) {
        if (!a.allowed()) {
            return a;
        }
        if (!b.allowed()) {
            return b;
        }
        return a.remaining() <= b.remaining() ? a : b;
    }

    private static MutableHttpResponse<?> headers(MutableHttpResponse<?> response, Verdict v) {
        if (v.limit() > 0) {
            response.header("X-RateLimit-Limit", Integer.toString(v.limit()));
            response.header("X-RateLimit-Remaining", Long.toString(Math.max(0, v.remaining())));
        }
        return response;
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
