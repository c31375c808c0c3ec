package io.chirp.timeline;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.engines.Ports;
import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.sharding.IdGenerator;
import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.StandInService;
import io.chirp.platform.web.ApiTimestamps;
import io.chirp.timeline.support.TestJwks;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;

/**
 * timeline-service's breaker on tweet-service, on a real process with real Redis and Kafka:
 * tweet-service is a stand-in (its user timeline and batch read) that hangs, then recovers;
 * user-service is the test application's {@link io.chirp.timeline.support.SystemOfRecord}. A home
 * read whose tweets are not in the cache hydrates them from tweet-service; when that fails it falls
 * back to fan-out on read, from tweet-service too, and with both gone it answers 503: the same
 * answer, at once, while the breaker is open. Call timeout 2 s; the breaker opens on half of at
 * least 4 calls failing and stays open 10 s (long enough for a loaded test machine: a call made
 * after it would be a trial call).
 */
@RealEngines({Engine.REDIS, Engine.KAFKA})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TweetServiceBreakerIT implements TestPropertyProvider {

    /** Well under the 2 s call timeout (two calls of it per read): this fast did not wait. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(1);

    private final int port = Ports.freePort();
    private final HttpClient http = HttpClient.newHttpClient();
    private final IdGenerator ids = new IdGenerator();
    private final long reader = ids.next(LogicalShards.forUser());
    private final long tweet = ids.next(ChirpId.logicalShard(reader));
    private final String tweetJson = "{\"id\":\"" + tweet + "\",\"authorId\":\"" + reader + "\",\"authorUsername\":\"u"
            + reader + "\",\"text\":\"hello\",\"createdAt\":\"" + ApiTimestamps.format(ChirpId.timestamp(tweet))
            + "\",\"replyToId\":null,\"retweetOfId\":null,\"hashtags\":[],\"mentions\":[],"
            + "\"likeCount\":0,\"retweetCount\":0,\"replyCount\":0}";
    private final StandInService tweetService = StandInService.start(request -> {
        if (request.path().startsWith("/internal/tweets/batch")) {
            return StandInService.Answer.ok("{\"items\":[" + tweetJson + "]}");
        }
        if (request.path().startsWith("/api/v1/users/" + reader + "/tweets")) {
            return StandInService.Answer.ok("{\"items\":[" + tweetJson + "],\"nextCursor\":null}");
        }
        return new StandInService.Answer(404, "{}");
    });

    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redis;

    @Override
    public Map<String, String> getProperties() {
        String base = "http://127.0.0.1:" + port;
        Map<String, String> properties = new HashMap<>();
        properties.put("micronaut.server.port", Integer.toString(port));
        properties.put("micronaut.security.token.jwt.signatures.jwks.users.url", base + "/test-jwks");
        properties.put("micronaut.http.services.tweet-service.url", tweetService.url());
        properties.put("micronaut.http.services.user-service.url", base);
        properties.put("chirp.timeline.source-timeout", "2s");
        properties.put("chirp.circuit-breakers.minimum-number-of-calls", "4");
        properties.put("chirp.circuit-breakers.sliding-window", "60s");
        properties.put("chirp.circuit-breakers.wait-in-open-state", "10s");
        properties.put("chirp.circuit-breakers.permitted-calls-in-half-open-state", "2");
        return properties;
    }

    @BeforeAll
    void connect() {
        redisClient = RedisClient.create(SharedEngines.get().redisUri());
        redis = redisClient.connect();
    }

    @AfterAll
    void disconnect() {
        tweetService.close();
        redis.close();
        redisClient.shutdown();
    }

    private HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).join();
    }

    /** The reader's home page, its tweet evicted from the cache first: the read must hydrate it. */
    private HttpResponse<String> homeHydrating() {
        redis.sync().del("tweet:" + tweet);
        return get("/api/v1/timelines/home", TestJwks.token(reader));
    }

    private boolean breakerIs(String service, String state) {
        return get("/prometheus", null).body().lines().anyMatch(line -> line.startsWith("resilience4j_circuitbreaker_state{")
                && line.contains("name=\"" + service + "\"") && line.contains("state=\"" + state + "\"")
                && line.endsWith(" 1.0"));
    }

    private int batchReads() {
        return (int) tweetService.received().stream().filter(r -> r.path().startsWith("/internal/tweets/batch")).count();
    }

    @Test
    void aHungTweetServiceIsCutOffTheHomeReadAnswers503AtOnceAndHydratesAgainOnceItIsBack() {
        // the feed is built from tweet-service's user timeline
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> built = get("/api/v1/timelines/home", TestJwks.token(reader));
            return built.statusCode() == 200 && built.body().contains(Long.toString(tweet));
        });
        int batchReadsBefore = batchReads();
        HttpResponse<String> hydrated = homeHydrating();
        assertEquals(200, hydrated.statusCode(), hydrated.body());
        assertTrue(hydrated.body().contains(Long.toString(tweet)), hydrated.body());
        assertEquals(batchReadsBefore + 1, batchReads(), "the tweet was hydrated from tweet-service");

        // hung: hydration and then fan-out on read time out, so three reads make up to six failed calls
        tweetService.hang();
        List<CompletableFuture<HttpResponse<String>>> timingOut = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            timingOut.add(CompletableFuture.supplyAsync(this::homeHydrating));
        }
        timingOut.forEach(response -> assertEquals(503, response.join().statusCode()));
        assertTrue(breakerIs("tweet-service", "open"));
        int callsBeforeOpen = tweetService.calls();

        // open: the same 503 at once, and tweet-service is not called
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> refused = homeHydrating();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
            assertTrue(took.compareTo(FAIL_FAST) < 0, "answered in " + took.toMillis() + " ms while open");
        }
        assertEquals(callsBeforeOpen, tweetService.calls(), "tweet-service was called while its breaker was open: "
                + tweetService.received());
        assertTrue(breakerIs("user-service", "closed"), "user-service answered the fan-out on read");

        // back: after the open wait, the trial calls hydrate again and close it
        tweetService.recover();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> homeHydrating().statusCode() == 200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> home = homeHydrating();
            assertEquals(200, home.statusCode(), home.body());
            assertTrue(home.body().contains(Long.toString(tweet)), home.body());
            return breakerIs("tweet-service", "closed");
        });
    }
}
