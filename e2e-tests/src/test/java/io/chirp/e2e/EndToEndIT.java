package io.chirp.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.chirp.launcher.LocalCluster;
import io.chirp.launcher.Seeder;

/**
 * The whole system, started as a newcomer starts it ({@code ./chirp up}'s cluster, on ports
 * shifted so a running developer cluster does not interfere), driven only through the public
 * API at the gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final int PORT_OFFSET = 21000;

    LocalCluster cluster;
    Api api;

    @BeforeAll
    void startCluster() {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path home = Path.of("target", "cluster").toAbsolutePath();
        cluster = LocalCluster.withPortOffset(repo, home, PORT_OFFSET, System.out);
        cluster.start();
        api = new Api(cluster.gatewayUrl());
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    static String unique(String prefix) {
        return prefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 6);
    }

    @Test
    @Order(1)
    void healthReportsEveryServiceAndStoreUp() {
        Api.Answer health = api.get("/health", null);
        assertEquals(200, health.status(), String.valueOf(health.body()));
        JsonNode services = health.body().path("details").path("services").path("details");
        for (String service : List.of("user-service", "tweet-service", "timeline-service", "like-service", "search-service")) {
            assertEquals("UP", services.path(service).path("status").asText(), service + ": " + services);
        }
    }

    @Test
    @Order(2)
    void registerFollowPostReadReplyRetweetLikeDelete() {
        String[] alice = api.register(unique("alice_"));
        String[] bob = api.register(unique("bob_"));
        assertEquals(204, api.put("/api/v1/users/me/following/" + alice[0], bob[1]).status());

        Api.Answer posted = api.post("/api/v1/tweets", "{\"text\":\"hello #chirp world\"}", alice[1]);
        assertEquals(201, posted.status(), String.valueOf(posted.body()));
        String tweet = posted.body().path("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> firstIds(api.get("/api/v1/timelines/home", bob[1])).contains(tweet));
        assertTrue(firstIds(api.get("/api/v1/timelines/home", alice[1])).contains(tweet), "the author sees it too");
        assertTrue(firstIds(api.get("/api/v1/users/" + alice[0] + "/tweets", null)).contains(tweet));

        Api.Answer reply = api.post("/api/v1/tweets", "{\"text\":\"hi alice\",\"replyToId\":\"" + tweet + "\"}", bob[1]);
        assertEquals(201, reply.status(), String.valueOf(reply.body()));
        assertEquals(201, api.post("/api/v1/tweets/" + tweet + "/retweets", "", bob[1]).status());
        assertEquals(204, api.put("/api/v1/tweets/" + tweet + "/likes/me", bob[1]).status());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode t = api.get("/api/v1/tweets/" + tweet, null).body();
            return t.path("likeCount").asLong() == 1 && t.path("replyCount").asLong() == 1
                    && t.path("retweetCount").asLong() == 1;
        });
        assertEquals(1, api.get("/api/v1/tweets/" + tweet + "/likes", null).body().path("count").asLong());

        assertEquals(403, api.delete("/api/v1/tweets/" + tweet, bob[1]).status(), "not the author");
        assertEquals(204, api.delete("/api/v1/tweets/" + tweet, alice[1]).status());
        assertEquals(404, api.get("/api/v1/tweets/" + tweet, null).status());
        await().atMost(Duration.ofSeconds(20)).until(() -> !firstIds(api.get("/api/v1/timelines/home", bob[1])).contains(tweet));
    }

    @Test
    @Order(3)
    void aTweetOfTheBestConnectedReedStudentReachesAllTheirFriendsHomeTimelines() throws Exception {
        Seeder.Graph reed = Seeder.read(Path.of("../../shared/data/socfb-Reed98.edges"), false);
        Map<Integer, Long> ids = new Seeder(cluster.gatewayUrl(), System.out, 8).seed(reed, 0);
        int hub = 678; // 313 friends, the highest degree in the graph
        List<Integer> friends = reed.follows().stream().filter(e -> e[1] == hub).map(e -> e[0]).toList();
        assertEquals(313, friends.size());
        String hubToken = token("user_" + hub);
        Map<Integer, String> tokens = new ConcurrentHashMap<>();
        friends.parallelStream().forEach(f -> tokens.put(f, token("user_" + f)));
        friends.parallelStream().forEach(f -> api.get("/api/v1/timelines/home?limit=1", tokens.get(f)));

        long start = System.nanoTime();
        String tweet = api.post("/api/v1/tweets", "{\"text\":\"exams are over #reed\"}", hubToken).body().path("id").asText();
        Map<Integer, Long> seenAfterMicros = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            friends.parallelStream().filter(f -> !seenAfterMicros.containsKey(f)).forEach(f -> {
                if (firstIds(api.get("/api/v1/timelines/home?limit=5", tokens.get(f))).contains(tweet)) {
                    seenAfterMicros.put(f, (System.nanoTime() - start) / 1000);
                }
            });
            return seenAfterMicros.size() == friends.size();
        });
        List<Long> latencies = new ArrayList<>(seenAfterMicros.values());
        Collections.sort(latencies);
        System.out.printf("fan-out visibility of a tweet by user_%d (user id %d) to %d friends through the gateway:"
                        + " p50 %.0f ms, p99 %.0f ms (includes polling 313 timelines)%n", hub, ids.get(hub), friends.size(),
                latencies.get(latencies.size() / 2) / 1000.0, latencies.get((int) (latencies.size() * 0.99)) / 1000.0);
        assertEquals(313, seenAfterMicros.size());
    }

    private String token(String username) {
        return api.post("/api/v1/auth/token", "{\"username\":\"" + username + "\",\"password\":\"" + Seeder.PASSWORD
                + "\"}", null).body().path("accessToken").asText();
    }

    private static List<String> firstIds(Api.Answer page) {
        List<String> ids = new ArrayList<>();
        if (page.body() != null) {
            page.body().path("items").forEach(t -> ids.add(t.path("id").asText()));
        }
        return ids;
    }
}
