package io.chirp.gateway;

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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chirp.engines.Ports;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.StandInService;
import io.chirp.platform.testing.TestNames;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;

/**
 * The gateway's breaker per service, on a real process: timeline-service is a stand-in that hangs,
 * then recovers; like-service one that refuses connections, then listens again; the other services
 * are the gateway's own stubs. Route timeout 3 s; the breaker opens on half of at least 4 calls
 * failing and stays open 10 s (long enough for a loaded test machine: a call made after it would be
 * a trial call).
 */
@RealEngines(Engine.REDIS)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CircuitBreakerIT implements TestPropertyProvider {

    private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(3);
    /** Well under the route timeout: an answer this fast was not waiting for the service. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(1);

    private final int port = Ports.freePort();
    private final HttpClient http = HttpClient.newHttpClient();
    private final StandInService timelineService = StandInService.start(
            request -> StandInService.Answer.ok("{\"items\":[],\"nextCursor\":null}"));
    private final StandInService likeService = StandInService.start(
            request -> StandInService.Answer.ok("{\"items\":[],\"nextCursor\":null}"));
    private final StandInService searchService = StandInService.start(
            request -> StandInService.Answer.ok("{\"items\":[],\"nextCursor\":null}"));

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("micronaut.server.port", Integer.toString(port));
        properties.put("chirp.gateway.rate-limit.key-prefix", TestNames.unique("cb"));
        properties.put("chirp.gateway.route-timeout", ROUTE_TIMEOUT.toMillis() + "ms");
        properties.put("chirp.circuit-breakers.minimum-number-of-calls", "4");
        properties.put("chirp.circuit-breakers.sliding-window", "60s");
        properties.put("chirp.circuit-breakers.wait-in-open-state", "10s");
        properties.put("chirp.circuit-breakers.permitted-calls-in-half-open-state", "2");
        for (String service : GatewayOperationsIT.SERVICES) {
            properties.put("chirp.gateway.services." + service + ".url", "http://127.0.0.1:" + port + "/stub/" + service);
        }
        properties.put("chirp.gateway.services.timeline-service.url", timelineService.url());
        properties.put("chirp.gateway.services.like-service.url", likeService.url());
        properties.put("chirp.gateway.services.search-service.url", searchService.url());
        return properties;
    }

    @AfterAll
    void stopStandIn() {
        timelineService.close();
        likeService.close();
        searchService.close();
    }

    private HttpResponse<String> get(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).join();
    }

    /** {@code resilience4j_circuitbreaker_state{name=<service>,state=<state>} 1.0} on /prometheus. */
    private boolean breakerIs(String service, String state) {
        return get("/prometheus").body().lines().anyMatch(line -> line.startsWith("resilience4j_circuitbreaker_state{")
                && line.contains("name=\"" + service + "\"") && line.contains("state=\"" + state + "\"")
                && line.endsWith(" 1.0"));
    }

    @Test
    void aHungServiceIsCutOffThenProbedBackWhileOtherRoutesAreUnaffected() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/timelines/home").statusCode() == 200);

        // hung: four calls in flight time out, and the breaker opens on them
        timelineService.hang();
        List<CompletableFuture<HttpResponse<String>>> timingOut = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            timingOut.add(CompletableFuture.supplyAsync(() -> get("/api/v1/timelines/home")));
        }
        for (CompletableFuture<HttpResponse<String>> response : timingOut) {
            assertEquals(503, response.join().statusCode());
        }
        assertTrue(breakerIs("timeline-service", "open"));

        // open: 503 problem+json with Retry-After at once, and the service is not called
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> refused = get("/api/v1/timelines/home?while=open");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
            assertTrue(took.compareTo(FAIL_FAST) < 0, "answered in " + took.toMillis() + " ms while open");
        }
        assertEquals(List.of(), reachedWhileOpen(timelineService), "calls reached the service while its breaker was open");

        // the other services' routes do not notice
        HttpResponse<String> tweet = get("/api/v1/tweets/7");
        assertEquals(200, tweet.statusCode(), tweet.body());
        assertTrue(tweet.body().contains("tweet-service"), tweet.body());
        assertTrue(breakerIs("tweet-service", "closed"));

        // /health says so at once, without waiting for the health timeout
        long probedBefore = healthProbes(timelineService);
        HttpResponse<String> health = get("/health");
        JsonNode timeline = new ObjectMapper().readTree(health.body())
                .path("details").path("services").path("details").path("timeline-service");
        assertEquals("DOWN", timeline.path("status").asText(), health.body());
        assertEquals("circuit open", timeline.path("error").asText(), health.body());
        assertEquals(probedBefore, healthProbes(timelineService), "the health probe reached the service while open");

        // recovered: after the open wait, the half-open trial calls succeed and close it
        timelineService.recover();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> get("/api/v1/timelines/home").statusCode() == 200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertEquals(200, get("/api/v1/timelines/home").statusCode());
            return breakerIs("timeline-service", "closed");
        });
    }

    private static long healthProbes(StandInService service) {
        return service.received().stream().filter(r -> r.path().equals("/health")).count();
    }

    private static List<StandInService.Request> reachedWhileOpen(StandInService service) {
        return service.received().stream().filter(r -> r.path().contains("while=open")).toList();
    }

    @Test
    void failedHealthProbesOfAServiceStillStartingDoNotOpenItsBreaker() {
        // the gateway's /health polled (as the launcher does) while search-service does not listen yet
        searchService.stop();
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> health = get("/health");
            assertEquals(503, health.statusCode(), health.body());
        }
        searchService.restart();

        // the first real calls after it came up are served: eight failed probes did not open it
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> search = get("/api/v1/search/tweets?q=probe" + i);
            assertEquals(200, search.statusCode(), search.body());
        }
        assertTrue(breakerIs("search-service", "closed"));
        assertTrue(searchService.calls() >= 4);
    }

    @Test
    void aServiceThatRefusesConnectionsIsCutOffAndComesBackWhenItListensAgain() {
        likeService.stop();
        for (int i = 0; i < 4; i++) {
            assertEquals(503, get("/api/v1/tweets/7/likes").statusCode());
        }
        assertTrue(breakerIs("like-service", "open"));

        // listening again, but the breaker has not let a call through yet
        likeService.restart();
        HttpResponse<String> refused = get("/api/v1/tweets/7/likes?while=open");
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
        assertEquals(List.of(), reachedWhileOpen(likeService));

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> get("/api/v1/tweets/7/likes").statusCode() == 200);
        assertTrue(likeService.calls() > 0);
    }
}
