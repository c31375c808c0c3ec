package io.chirp.like;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.engines.Ports;
import io.chirp.like.support.TweetServiceDouble;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.StandInService;
import io.chirp.platform.testing.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;

/**
 * like-service's breaker on tweet-service, on a real process with real Cassandra and Kafka:
 * tweet-service is a stand-in that hangs, then recovers; user-service is the test application's
 * double. Call timeout 2 s; the breaker opens on half of at least 4 calls failing, open 10 s (long
 * enough for a loaded test machine: a call made after it would be a trial call).
 */
@RealEngines({Engine.CASSANDRA, Engine.KAFKA})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TweetServiceBreakerIT implements TestPropertyProvider {

    /** Well under the 2 s call timeout: an answer this fast did not wait for tweet-service. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(1);

    private final int port = Ports.freePort();
    private final HttpClient http = HttpClient.newHttpClient();
    private final StandInService tweetService = StandInService.start(request ->
            StandInService.Answer.ok("{\"id\":\"" + request.path().replaceAll("\\D", "") + "\"}"));

    @Override
    public Map<String, String> getProperties() {
        String base = "http://127.0.0.1:" + port;
        Map<String, String> properties = new HashMap<>();
        properties.put("micronaut.server.port", Integer.toString(port));
        properties.put("micronaut.security.token.jwt.signatures.jwks.users.url", base + "/test-jwks");
        properties.put("micronaut.http.services.tweet-service.url", tweetService.url());
        properties.put("micronaut.http.services.user-service.url", base);
        properties.put("chirp.likes.source-timeout", "2s");
        properties.put("chirp.likes.recovery-interval", "1h");
        properties.put("chirp.circuit-breakers.minimum-number-of-calls", "4");
        properties.put("chirp.circuit-breakers.sliding-window", "60s");
        properties.put("chirp.circuit-breakers.wait-in-open-state", "10s");
        properties.put("chirp.circuit-breakers.permitted-calls-in-half-open-state", "2");
        return properties;
    }

    @AfterAll
    void stopStandIn() {
        tweetService.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return http.sendAsync(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).join();
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)));
    }

    private HttpResponse<String> likersOf(long tweet) {
        return get("/api/v1/tweets/" + tweet + "/likes");
    }

    private boolean breakerIs(String service, String state) {
        return get("/prometheus").body().lines().anyMatch(line -> line.startsWith("resilience4j_circuitbreaker_state{")
                && line.contains("name=\"" + service + "\"") && line.contains("state=\"" + state + "\"")
                && line.endsWith(" 1.0"));
    }

    private static long id() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    @Test
    void aHungTweetServiceIsCutOffLikesAnswer503AtOnceAndItIsProbedBack() {
        await().atMost(Duration.ofSeconds(30)).until(() -> likersOf(id()).statusCode() == 200);

        tweetService.hang();
        List<CompletableFuture<HttpResponse<String>>> timingOut = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long tweet = id();
            timingOut.add(CompletableFuture.supplyAsync(() -> likersOf(tweet)));
        }
        timingOut.forEach(response -> assertEquals(503, response.join().statusCode()));
        assertTrue(breakerIs("tweet-service", "open"));

        // open: reading likers and liking both answer 503 at once, and tweet-service is not asked
        long whileOpen = id();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> refused = likersOf(whileOpen);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
            assertTrue(took.compareTo(FAIL_FAST) < 0, "answered in " + took.toMillis() + " ms while open");
        }
        HttpResponse<String> like = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tweets/"
                + whileOpen + "/likes/me")).PUT(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + TestTokens.forUser(id())));
        assertEquals(503, like.statusCode(), like.body());
        assertTrue(tweetService.received().stream().noneMatch(r -> r.path().contains(Long.toString(whileOpen))),
                "tweet-service was called while its breaker was open: " + tweetService.received());

        // user-service has its own breaker: a user's likes still answer
        long user = id();
        TweetServiceDouble.USERS.add(user);
        HttpResponse<String> likesOfUser = get("/api/v1/users/" + user + "/likes");
        assertEquals(200, likesOfUser.statusCode(), likesOfUser.body());
        assertTrue(breakerIs("user-service", "closed"));

        tweetService.recover();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> likersOf(whileOpen).statusCode() == 200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> likersOf(id()).statusCode() == 200);
            return breakerIs("tweet-service", "closed");
        });
    }
}
