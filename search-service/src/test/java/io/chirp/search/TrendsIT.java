package io.chirp.search;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.search.support.ChirpEvents;
import io.chirp.search.support.SearchApi;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * Hashtag trends over seeded tweets. Other test classes share the engines, so the assertions
 * look at this run's hashtags (their counts and their order within the answer) and at the
 * answer's order as a whole.
 */
@RealEngines({Engine.ELASTICSEARCH, Engine.KAFKA})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrendsIT {

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    ChirpEvents events;
    SearchApi api;
    final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6);

    @BeforeAll
    void connect() {
        events = new ChirpEvents(json);
        api = new SearchApi(server.getURI(), json);
    }

    @AfterAll
    void disconnect() {
        events.close();
    }

    List<Map<String, Object>> ours(String window) {
        SearchApi.Answer answer = api.get("/api/v1/trends?limit=100&window=" + window);
        assertEquals(200, answer.status(), answer.body());
        List<Map<String, Object>> items = answer.items();
        for (int i = 1; i < items.size(); i++) {
            assertTrue(((Number) items.get(i - 1).get("tweetCount")).longValue()
                    >= ((Number) items.get(i).get("tweetCount")).longValue(), "most tweets first: " + items);
        }
        return items.stream().filter(t -> ((String) t.get("hashtag")).startsWith("tr" + run)).toList();
    }

    static Map<String, Object> trend(String hashtag, int count) {
        return Map.of("hashtag", hashtag, "tweetCount", count);
    }

    @Test
    void trendsCountTheLiveTweetsOfEachHashtagInTheWindowMostFirst() {
        ChirpEvents.User author = events.register("t" + run, "Trender");
        String a = "tr" + run + "alpha";
        String b = "tr" + run + "beta";
        String c = "tr" + run + "gamma";
        String old = "tr" + run + "old";
        List<TweetCreated> seeded = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seeded.add(events.tweet(author, "trending " + i + " #" + a + (i < 4 ? " #" + b.toUpperCase() : "")));
        }
        seeded.add(events.tweet(author, "two of #" + c + " and #" + c + " count once"));
        seeded.add(events.tweet(author, "another #" + c));
        Instant threeHoursAgo = Instant.now().minus(Duration.ofHours(3));
        for (int i = 0; i < 7; i++) {
            seeded.add(events.tweetAt(author, "earlier today #" + old + " " + i, threeHoursAgo.plusSeconds(i)));
        }
        TweetCreated deleted = events.tweet(author, "deleted #" + a);
        seeded.forEach(events::postAsync);
        events.post(deleted);
        events.delete(deleted);

        List<Map<String, Object>> lastHour = List.of(trend(a, 6), trend(b, 4), trend(c, 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> ours("1h").equals(lastHour));
        await().atMost(Duration.ofSeconds(30)).until(() -> ours("24h").equals(
                List.of(trend(old, 7), trend(a, 6), trend(b, 4), trend(c, 2))));
        assertEquals(lastHour, ours("1h"), "1h is the default window");
        assertEquals(2, api.get("/api/v1/trends?limit=2").items().size());
        assertTrue(api.get("/api/v1/trends").items().size() <= 10, "10 by default");
    }

    @Test
    void aBadWindowOrLimitIs400NamingIt() {
        for (String[] bad : new String[][] {{"window=2h", "window"}, {"window=1d", "window"}, {"limit=0", "limit"},
                {"limit=101", "limit"}, {"limit=ten", "limit"}}) {
            SearchApi.Answer answer = api.get("/api/v1/trends?" + bad[0]);
            assertEquals(400, answer.status(), bad[0]);
            assertEquals("application/problem+json", answer.contentType());
            assertTrue(((String) answer.json().get("detail")).contains(bad[1]), answer.body());
        }
    }
}
