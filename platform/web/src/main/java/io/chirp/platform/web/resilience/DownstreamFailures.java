package io.chirp.platform.web.resilience;

import java.util.concurrent.TimeoutException;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;

/**
 * Which outcomes of a call to another Chirp service count against its circuit breaker.
 * <ul>
 *   <li>Counted: no connection (refused, reset, unknown host), a timeout (the call's own
 *       {@link TimeoutException}, or the client's read timeout), and a 5xx answer other than
 *       503: the service is down, hung or broken.</li>
 *   <li>Never counted: 4xx (the caller's fault: a bad id, a missing tweet, a refused token), and
 *       503. In Chirp a 503 is a live service saying quickly that one of <em>its</em>
 *       dependencies is down (one database shard, Cassandra), with {@code Retry-After}; that
 *       service's own breakers deal with it. Counting it would turn one dead shard of
 *       tweet-service into a refusal of all of tweet-service, healthy shards included.</li>
 * </ul>
 * Anything else thrown (a body that cannot be decoded, say) is not counted either: it says
 * nothing about the service's health.
 */
public final class DownstreamFailures {

    private DownstreamFailures() {
    }

    /** Whether a call that failed with {@code failure} counts as a failure of the service called. */
    public static boolean counts(Throwable failure) {
        if (failure instanceof HttpClientResponseException response) {
            return countsStatus(response.code());
        }
        return failure instanceof TimeoutException || failure instanceof HttpClientException;
    }

    /** Whether a call answered with {@code status} counts as a failure of the service called. */
    public static boolean countsStatus(int status) {
        return status >= 500 && status != 503;
    }

    /** Whether a call that completed with {@code result} failed: an HTTP answer with a counted status. */
    public static boolean countsResult(Object result) {
        return result instanceof HttpResponse<?> response && countsStatus(response.code());
    }
}
