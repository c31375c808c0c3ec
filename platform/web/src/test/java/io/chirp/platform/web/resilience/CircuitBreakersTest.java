package io.chirp.platform.web.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import reactor.core.publisher.Mono;

class CircuitBreakersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CircuitBreakers breakers = new CircuitBreakers(
            new CircuitBreakerProperties(Duration.ofSeconds(60), 4, 50, 0.5, 80, Duration.ofMinutes(1), 2));
    private final AtomicInteger calls = new AtomicInteger();

    /** A call whose outcome is {@code outcome}; counts the times it is made. */
    private <T> Mono<T> call(Mono<T> outcome) {
        return breakers.call("tweet-service", TIMEOUT, () -> {
            calls.incrementAndGet();
            return outcome;
        });
    }

    private static HttpClientResponseException answered(HttpStatus status) {
        return new HttpClientResponseException(status.getReason(), HttpResponse.status(status));
    }

    @Test
    void refusedConnectionsOpenItAndThenCallsFailAtOnceWithoutBeingMade() {
        for (int i = 0; i < 4; i++) {
            Mono<String> refused = call(Mono.error(new HttpClientException("refused", new ConnectException())));
            assertThrows(HttpClientException.class, refused::block);
        }
        assertEquals(CircuitBreaker.State.OPEN, breakers.find("tweet-service").orElseThrow().getState());
        CircuitOpenException open = assertThrows(CircuitOpenException.class, () -> call(Mono.just("ok")).block());
        assertEquals("tweet-service (circuit open) is unavailable", open.getMessage());
        assertEquals(4, calls.get());
    }

    @Test
    void callersMistakesAndDeliberate503sNeverOpenIt() {
        for (int i = 0; i < 10; i++) {
            assertThrows(HttpClientResponseException.class, () -> call(Mono.error(answered(HttpStatus.NOT_FOUND))).block());
            assertThrows(HttpClientResponseException.class,
                    () -> call(Mono.error(answered(HttpStatus.SERVICE_UNAVAILABLE))).block());
            assertEquals(HttpStatus.SERVICE_UNAVAILABLE,
                    call(Mono.just(HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE))).block().getStatus());
        }
        assertEquals(CircuitBreaker.State.CLOSED, breakers.find("tweet-service").orElseThrow().getState());
    }

    @Test
    void fiveHundredAnswersOpenItWhetherThrownOrReturned() {
        call(Mono.just(HttpResponse.serverError())).block();
        call(Mono.just(HttpResponse.status(HttpStatus.BAD_GATEWAY))).block();
        assertThrows(HttpClientResponseException.class,
                () -> call(Mono.error(answered(HttpStatus.INTERNAL_SERVER_ERROR))).block());
        assertThrows(HttpClientResponseException.class,
                () -> call(Mono.error(answered(HttpStatus.GATEWAY_TIMEOUT))).block());
        assertEquals(CircuitBreaker.State.OPEN, breakers.find("tweet-service").orElseThrow().getState());
    }

    @Test
    void oneBreakerPerServiceSharedByItsCallSites() {
        assertTrue(breakers.forService("user-service", TIMEOUT) == breakers.forService("user-service", TIMEOUT));
        assertFalse(breakers.forService("user-service", TIMEOUT) == breakers.forService("tweet-service", TIMEOUT));
        assertEquals(Duration.ofSeconds(5),
                breakers.forService("user-service", TIMEOUT).getCircuitBreakerConfig().getSlowCallDurationThreshold());
    }

    @Test
    void whatCountsAgainstAService() {
        assertTrue(DownstreamFailures.counts(new TimeoutException()));
        assertTrue(DownstreamFailures.counts(new HttpClientException("connection refused")));
        assertTrue(DownstreamFailures.counts(answered(HttpStatus.INTERNAL_SERVER_ERROR)));
        assertFalse(DownstreamFailures.counts(answered(HttpStatus.SERVICE_UNAVAILABLE)));
        assertFalse(DownstreamFailures.counts(answered(HttpStatus.BAD_REQUEST)));
        assertFalse(DownstreamFailures.counts(answered(HttpStatus.NOT_FOUND)));
        assertFalse(DownstreamFailures.counts(new IllegalStateException("unreadable body")));
    }
}
