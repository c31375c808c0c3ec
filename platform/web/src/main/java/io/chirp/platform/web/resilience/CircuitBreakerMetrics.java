package io.chirp.platform.web.resilience;

import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Every downstream breaker's state and counts as Resilience4j's Micrometer meters, tagged with
 * the breaker's {@code name} (the downstream service); on {@code /prometheus}:
 * {@code resilience4j_circuitbreaker_state{name,state}} (1 for the current state of
 * {@code closed}, {@code open}, {@code half_open}, ..., else 0),
 * {@code resilience4j_circuitbreaker_calls_seconds{kind="successful"|"failed"|"ignored"}},
 * {@code resilience4j_circuitbreaker_not_permitted_calls_total} (calls refused while open),
 * {@code resilience4j_circuitbreaker_failure_rate} and {@code _slow_call_rate} (per cent, -1
 * before the window has its minimum of calls). Breakers created after start-up are added as
 * they appear. Micronaut binds every {@link MeterBinder} bean to its registry.
 */
@Factory
@Requires(classes = {MeterBinder.class, TaggedCircuitBreakerMetrics.class})
class CircuitBreakerMetrics {

    @Singleton
    MeterBinder circuitBreakerMetrics(CircuitBreakers breakers) {
        return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers.registry());
    }
}
