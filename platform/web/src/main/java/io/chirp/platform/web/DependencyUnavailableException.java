package io.chirp.platform.web;

/**
 * A store or another service this request needs is down and no degraded answer is possible.
 * Answered as 503 problem+json with {@code Retry-After}; the cause is logged, never sent.
 */
public class DependencyUnavailableException extends RuntimeException {

    public DependencyUnavailableException(String dependency, Throwable cause) {
        super(dependency + " is unavailable", cause);
    }
}
