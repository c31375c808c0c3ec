package io.chirp.platform.messaging;

import java.util.function.Predicate;

/**
 * A consumed record could not be handled because a store or service the consumer needs is down,
 * not because of the record: the listener throws this (and only this: Micronaut Kafka matches
 * {@code exceptionTypes} by exact class) so that its error strategy applies the record again,
 * {@value #RETRY_DELAY} apart, for as long as an outage plausibly lasts ({@value #RETRIES} times,
 * about an hour), instead of sending it to the dead-letter topic after a few seconds. Declare it
 * on the listener as
 * <pre>{@code
 * errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
 *         retryCount = DependencyDownException.RETRIES, retryDelay = DependencyDownException.RETRY_DELAY,
 *         exceptionTypes = DependencyDownException.class)
 * }</pre>
 * Any other failure is the record's own (undecodable, refused): it is not retried and goes to the
 * dead-letter topic at once. The partition waits meanwhile, so records stay in order. (Found by
 * the fault-injection suite: with bounded retries, events consumed while Elasticsearch, Redis or
 * Cassandra was stopped for 20 s were dead-lettered, and search, feeds and like counts lost them.)
 */
public final class DependencyDownException extends RuntimeException {

    /** Retries of a record whose dependency is down: {@value} at {@link #RETRY_DELAY} apart, about an hour. */
    public static final int RETRIES = 3600;
    /** The pause between two attempts while a dependency is down. */
    public static final String RETRY_DELAY = "1s";

    public DependencyDownException(String dependency, Throwable cause) {
        super(dependency + " is down: " + cause, cause);
    }

    /**
     * {@code failure} as a {@link DependencyDownException} when it, or any of its causes, is an
     * outage by {@code isOutage} (e.g. a connection refused or a timeout of the store's client);
     * else {@code failure} itself, unchanged.
     */
    public static RuntimeException classify(Throwable failure, String dependency, Predicate<Throwable> isOutage) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (isOutage.test(cause)) {
                return new DependencyDownException(dependency, cause);
            }
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }
}
