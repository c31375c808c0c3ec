package io.chirp.platform.web.resilience;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

/**
 * The settings of every downstream circuit breaker of an application
 * ({@code chirp.circuit-breakers.*}); one set per application, one breaker per downstream
 * service ({@link CircuitBreakers}). The defaults, and why:
 *
 * @param slidingWindow                  the window failure and slow-call rates are taken over,
 *                                       in whole seconds (Resilience4j's time-based window).
 *                                       Time-based, not a count of calls, so that it means the same
 *                                       at 1 call/s and at 2 000 req/s; 10 s by default
 * @param minimumNumberOfCalls           no verdict on fewer calls than this in the window: two
 *                                       failures on a quiet system do not open it; 20 by default
 * @param failureRateThreshold           per cent of the window's calls that failed (see
 *                                       {@link DownstreamFailures}) at or above which it opens;
 *                                       50 by default (a fleeting error rate of a few per cent
 *                                       never opens it, a dead service does within its first
 *                                       {@code minimumNumberOfCalls} calls)
 * @param slowCallFractionOfTimeout      a call slower than this fraction of its own timeout is
 *                                       slow, even if it succeeds; 0.5 by default (5 s for the
 *                                       gateway's 10 s routes, 1 s for a 2 s service call)
 * @param slowCallRateThreshold          per cent of slow calls at or above which it opens: a
 *                                       service that answers everything just under the timeout
 *                                       is holding its callers' connections and threads; 80 by default
 * @param waitInOpenState                how long it stays open (every call refused at once)
 *                                       before letting probes through; 5 s by default
 * @param permittedCallsInHalfOpenState  probes let through once the wait is over; it closes if
 *                                       under {@code failureRateThreshold} of them fail (and are
 *                                       slow), and opens again for another wait otherwise;
 *                                       3 by default (one lucky call does not close it)
 */
@ConfigurationProperties(CircuitBreakerProperties.PREFIX)
public record CircuitBreakerProperties(
        @Bindable(defaultValue = "10s") Duration slidingWindow,
        @Bindable(defaultValue = "20") @Min(1) int minimumNumberOfCalls,
        @Bindable(defaultValue = "50") @DecimalMin("1") @DecimalMax("100") float failureRateThreshold,
        @Bindable(defaultValue = "0.5") @DecimalMin("0.01") @DecimalMax("1") double slowCallFractionOfTimeout,
        @Bindable(defaultValue = "80") @DecimalMin("1") @DecimalMax("100") float slowCallRateThreshold,
        @Bindable(defaultValue = "5s") Duration waitInOpenState,
        @Bindable(defaultValue = "3") @Min(1) int permittedCallsInHalfOpenState) {

    /** The configuration prefix. */
    public static final String PREFIX = "chirp.circuit-breakers";
}
