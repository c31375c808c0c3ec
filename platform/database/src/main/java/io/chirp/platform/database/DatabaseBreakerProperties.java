package io.chirp.platform.database;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The circuit breaker in front of each database, primary or replica
 * ({@code chirp.shards.circuit-breaker.*}); see {@link io.chirp.platform.sharding.CircuitBreakingDataSource}.
 *
 * @param enabled              off only to measure what the breakers save
 * @param window               calls in the count-based sliding window
 * @param minimumCalls         calls before the failure rate is judged
 * @param failureRateThreshold percent of outage failures in the window that opens the breaker
 * @param waitInOpen           how long an open breaker refuses before letting probes through
 * @param halfOpenCalls        probes let through when half-open; all must succeed to close
 */
@ConfigurationProperties("chirp.shards.circuit-breaker")
public record DatabaseBreakerProperties(@Bindable(defaultValue = "true") boolean enabled,
                                        @Bindable(defaultValue = "10") int window,
                                        @Bindable(defaultValue = "4") int minimumCalls,
                                        @Bindable(defaultValue = "50") float failureRateThreshold,
                                        @Bindable(defaultValue = "5s") Duration waitInOpen,
                                        @Bindable(defaultValue = "2") int halfOpenCalls) {
}
