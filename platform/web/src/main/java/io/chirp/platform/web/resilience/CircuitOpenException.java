package io.chirp.platform.web.resilience;

import io.chirp.platform.web.DependencyUnavailableException;

/**
 * A call refused without being made: the breaker of the service it goes to is open (or half
 * open with its probes already out). A {@link DependencyUnavailableException}, so wherever a
 * service already answers "that service is down" (503 problem+json with {@code Retry-After},
 * a degraded answer, a Kafka record retried later) it answers the same, only at once.
 */
public class CircuitOpenException extends DependencyUnavailableException {

    /**
     * @param service the downstream service whose breaker refused the call
     * @param cause   Resilience4j's refusal, which names the breaker and its state
     */
    public CircuitOpenException(String service, Throwable cause) {
        super(service + " (circuit open)", cause);
    }
}
