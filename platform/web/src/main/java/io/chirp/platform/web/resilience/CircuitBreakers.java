package io.chirp.platform.web.resilience;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.reactivestreams.Publisher;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

/**
 * One Resilience4j circuit breaker per downstream service (named after it, e.g.
 * {@code tweet-service}), shared by every call site of the application that calls that service,
 * configured by {@link CircuitBreakerProperties}. Every call goes through
 * {@link #call(String, Duration, Supplier)}, non-blocking:
 * <pre>{@code
 * Mono<Items> items = breakers.call("tweet-service", timeout, () -> client.retrieve(request, Items.class));
 * }</pre>
 * which bounds the call by its timeout, records its outcome ({@link DownstreamFailures}) and,
 * while the breaker is open, fails at once with {@link CircuitOpenException} without calling.
 * State and counts are on {@code /prometheus} ({@link CircuitBreakerMetrics}).
 * <p>
 * Source: Resilience4j 2.3 ({@code CircuitBreakerRegistry}, {@code CircuitBreakerOperator});
 * the state machine is Nygard's, <i>Release It!</i> (2nd ed.), ch. 5 "Circuit Breaker".
 */
@Singleton
public class CircuitBreakers {

    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private final CircuitBreakerProperties properties;

    /** @param properties the settings every breaker is made with */
    public CircuitBreakers(CircuitBreakerProperties properties) {
        this.properties = properties;
    }

    /**
     * The breaker of {@code service}, created on first use. Its slow-call threshold is
     * {@code slowCallFractionOfTimeout} of {@code callTimeout}, taken from the first caller: give
     * every call site of one service the same timeout.
     *
     * @param service     the downstream service's name, the breaker's {@code name} tag
     * @param callTimeout the timeout of a call to it
     */
    public CircuitBreaker forService(String service, Duration callTimeout) {
        return registry.circuitBreaker(service, () -> config(callTimeout));
    }

    /** The breaker of {@code service} if a call has created it, to read its state. */
    public Optional<CircuitBreaker> find(String service) {
        return registry.find(service);
    }

    /**
     * One call to {@code service}: made by subscribing to what {@code call} supplies, bounded by
     * its timeout (failing with {@link java.util.concurrent.TimeoutException}), its outcome
     * recorded by the service's breaker. While the breaker refuses calls, {@code call} is not
     * even invoked (Micronaut's clients send a request when {@code exchange}, {@code retrieve} or
     * {@code proxy} is called, not when the answer is subscribed to) and the answer fails at once
     * with {@link CircuitOpenException}. Every other failure passes through unchanged.
     *
     * @param service     the downstream service, see {@link #forService(String, Duration)}
     * @param callTimeout the timeout of this call
     * @param call        makes the call, e.g. {@code () -> client.retrieve(request, Items.class)}
     */
    public <T> Mono<T> call(String service, Duration callTimeout, Supplier<? extends Publisher<T>> call) {
        return call(forService(service, callTimeout), callTimeout, call);
    }

    /**
     * As {@link #call(String, Duration, Supplier)}, through a breaker obtained from
     * {@link #forService(String, Duration)}: for a call site whose timeout differs from the one
     * the breaker was made for (a health probe's, say).
     */
    public <T> Mono<T> call(CircuitBreaker breaker, Duration callTimeout, Supplier<? extends Publisher<T>> call) {
        return Mono.defer(() -> Mono.<T>from(call.get()))
                .timeout(callTimeout)
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorMap(CallNotPermittedException.class, e -> new CircuitOpenException(breaker.getName(), e));
    }

    /**
     * A health probe of the service behind {@code breaker}. While the breaker is closed the probe
     * is made without recording its outcome: a probe never opens a breaker, only the calls it
     * protects do (otherwise the failed probes of a service still starting, say a gateway's
     * {@code /health} polled before the service listens, would sit in the sliding window and open
     * the breaker on the first few real calls after the service came up). While open, the probe
     * fails at once with {@link CircuitOpenException}; while half open, it is one of the trial
     * calls, so a recovered service is seen even when no other traffic flows.
     *
     * @param breaker      from {@link #forService(String, Duration)}
     * @param probeTimeout the probe's timeout (failing with {@link java.util.concurrent.TimeoutException})
     * @param probe        makes the probe, e.g. {@code () -> client.exchange(healthRequest, String.class)}
     */
    public <T> Mono<T> probe(CircuitBreaker breaker, Duration probeTimeout, Supplier<? extends Publisher<T>> probe) {
        if (breaker.getState() == CircuitBreaker.State.CLOSED) {
            return Mono.defer(() -> Mono.<T>from(probe.get())).timeout(probeTimeout);
        }
        return call(breaker, probeTimeout, probe);
    }

    /** Every breaker of the application, for the metrics. */
    CircuitBreakerRegistry registry() {
        return registry;
    }

    private CircuitBreakerConfig config(Duration callTimeout) {
        long slowNanos = Math.max(1, (long) (callTimeout.toNanos() * properties.slowCallFractionOfTimeout()));
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, properties.slidingWindow().toSeconds()))
                .minimumNumberOfCalls(properties.minimumNumberOfCalls())
                .failureRateThreshold(properties.failureRateThreshold())
                .slowCallDurationThreshold(Duration.ofNanos(slowNanos))
                .slowCallRateThreshold(properties.slowCallRateThreshold())
                .waitDurationInOpenState(properties.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(properties.permittedCallsInHalfOpenState())
                // the next call after the wait moves it to half open: no timer thread per breaker
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(DownstreamFailures::counts)
                .recordResult(DownstreamFailures::countsResult)
                .build();
    }
}
