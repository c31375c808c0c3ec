package io.chirp.search;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.http.HttpHost;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.search.support.ChirpEvents;
import io.chirp.search.support.SearchApi;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * The versioned indices behind their aliases, their analyzers on the real engine, and the
 * reindex from Kafka: after the indices are lost, {@code POST /internal/search/reindex}
 * restores the same answers.
 */
@RealEngines({Engine.ELASTICSEARCH, Engine.KAFKA})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReindexIT {

    private static final Duration VISIBLE = Duration.ofSeconds(20);

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    ChirpEvents events;
    SearchApi api;
    RestClient elasticsearch;
    final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6);

    @BeforeAll
    void connect() {
        events = new ChirpEvents(json);
        api = new SearchApi(server.getURI(), json);
        elasticsearch = RestClient.builder(HttpHost.create(SharedEngines.get().elasticsearchUrl())).build();
    }

    @AfterAll
    void disconnect() throws IOException {
        events.close();
        elasticsearch.close();
    }

    @SuppressWarnings("unchecked")
    <T> T es(String method, String path, String body) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setJsonEntity(body);
        }
        try (InputStream in = elasticsearch.performRequest(request).getEntity().getContent()) {
            return (T) json.readValue(in, Object.class);
        }
    }

    String holder(String alias) throws IOException {
        Map<String, Object> aliases = es("GET", "/_alias/" + alias, null);
        assertEquals(1, aliases.size(), alias + " names one index: " + aliases);
        return aliases.keySet().iterator().next();
    }

    @SuppressWarnings("unchecked")
    List<String> tokens(String index, String analyzer, String text) throws IOException {
        Map<String, Object> answer = es("POST", "/" + index + "/_analyze",
                json.writeValueAsString(Map.of("analyzer", analyzer, "text", text)));
        return ((List<Map<String, Object>>) answer.get("tokens")).stream().map(t -> (String) t.get("token")).toList();
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void theServiceCreatesVersionedIndicesBehindAliasesWithTheAnalyzersOfBothEngines() throws IOException {
        String tweets = holder("tweets");
        String users = holder("users");
        assertTrue(tweets.matches("tweets-v\\d+"), tweets);
        assertTrue(users.matches("users-v\\d+"), users);
        Map<String, Object> settings = es("GET", "/" + tweets + "/_settings", null);
        Map<String, Object> index = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                settings.get(tweets)).get("settings")).get("index");
        assertEquals("0", index.get("number_of_replicas"));
        assertEquals(List.of("john", "run", "cafe", "sao", "paulo"),
                tokens(tweets, "chirp_english", "John's Running to the cafés of São Paulo"), "stemmed, folded, no stop words");
        assertEquals(List.of("john's", "running", "to", "the", "cafes"),
                tokens(tweets, "chirp_exact", "John's Running to the cafés"), "the exact sub-field keeps word forms");
        assertEquals(List.of("j", "jo", "jos", "jose"), tokens(users, "chirp_name_prefixes", "José"));
        assertEquals(List.of("jose"), tokens(users, "chirp_name", "JOSÉ"), "search side: no n-grams");
    }

    @Test
    @Order(2)
    void aReindexAfterTheIndicesWereLostRestoresTheSameResults() throws IOException {
        ChirpEvents.User author = events.register("ri" + run, "Reindexed Author" + run);
        ChirpEvents.User erased = events.register("re" + run, "Erased Author" + run);
        ChirpEvents.User renamed = events.register("rn" + run, "Before Rename" + run);
        List<TweetCreated> kept = List.of(
                events.tweet(author, "restore" + run + " first #rtag" + run),
                events.tweet(author, "restore" + run + " second words"),
                events.tweet(author, "restore" + run + " second words again #rtag" + run),
                events.tweet(renamed, "restore" + run + " by the renamed @" + erased.username()));
        TweetCreated deleted = events.tweet(author, "restore" + run + " deleted #rtag" + run);
        TweetCreated erasedTweet = events.tweet(erased, "restore" + run + " by the erased");
        kept.forEach(events::post);
        events.post(deleted);
        events.post(erasedTweet);
        events.delete(deleted);
        events.update(renamed, "After Rename" + run, "new bio");
        events.requestDeletion(erased);

        List<String> queries = List.of("restore" + run, "#rtag" + run, "restore" + run + " second words",
                "@" + erased.username(), "\"second words again\" restore" + run);
        await().atMost(VISIBLE).until(() -> api.allTweetIds("restore" + run, 2).size() == kept.size()
                && api.userIds("after rename" + run).size() == 1 && api.userIds("erased author" + run).isEmpty());
        Map<String, List<String>> before = answers(queries, renamed);

        // Elasticsearch lost the data
        String oldTweets = holder("tweets");
        String oldUsers = holder("users");
        es("DELETE", "/" + oldTweets + "," + oldUsers, null);
        assertEquals(503, api.tweets("restore" + run, 10, null).status(), "no indices: unavailable, not a 500");

        SearchApi.Answer started = api.post("/internal/search/reindex");
        assertEquals(202, started.status(), started.body());
        assertEquals("RUNNING", started.json().get("state"));
        awaitReindexDone();
        assertEquals(before, answers(queries, renamed));
        assertTrue(api.userIds("before rename" + run).isEmpty());
        System.out.printf("reindex replayed %s records into %s%n", api.get("/internal/search/reindex").json().get("events"),
                holder("tweets"));
    }

    @Test
    @Order(3)
    void aReindexWithLiveIndicesBuildsTheNextGenerationSwapsTheAliasesAndDropsTheOldOne() throws IOException {
        ChirpEvents.User author = events.register("sw" + run, "Swapper");
        TweetCreated tweet = events.tweet(author, "generation" + run + " one");
        events.post(tweet);
        await().atMost(VISIBLE).until(() -> api.tweetIds("generation" + run).size() == 1);
        String oldTweets = holder("tweets");
        String oldUsers = holder("users");

        assertEquals(202, api.post("/internal/search/reindex").status());
        awaitReindexDone();
        String newTweets = holder("tweets");
        assertNotEquals(oldTweets, newTweets);
        assertEquals(Integer.parseInt(oldTweets.substring("tweets-v".length())) + 1,
                Integer.parseInt(newTweets.substring("tweets-v".length())));
        assertEquals(newTweets.replace("tweets", "users"), holder("users"));
        for (String old : List.of(oldTweets, oldUsers)) {
            ResponseException gone = org.junit.jupiter.api.Assertions.assertThrows(ResponseException.class,
                    () -> es("GET", "/" + old, null));
            assertEquals(404, gone.getResponse().getStatusLine().getStatusCode(), old + " dropped");
        }
        assertEquals(List.of(Long.toString(tweet.tweetId())), api.tweetIds("generation" + run));
        // and the live consumer writes into the new generation
        TweetCreated after = events.tweet(author, "generation" + run + " two");
        events.post(after);
        await().atMost(VISIBLE).until(() -> api.tweetIds("generation" + run).size() == 2);
    }

    void awaitReindexDone() {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Object state = api.get("/internal/search/reindex").json().get("state");
            assertTrue(List.of("RUNNING", "DONE").contains(state), "reindex " + state + ": "
                    + api.get("/internal/search/reindex").body());
            return "DONE".equals(state);
        });
    }

    Map<String, List<String>> answers(List<String> queries, ChirpEvents.User renamed) {
        Map<String, List<String>> answers = new java.util.LinkedHashMap<>();
        for (String q : queries) {
            answers.put(q, api.allTweetIds(q, 2));
        }
        answers.put("users: after rename", api.userIds("after rename" + run));
        answers.put("users: reindexed author", api.userIds("reindexed author" + run));
        answers.put("users: erased", api.userIds("erased author" + run));
        answers.put("users: rn", api.userIds("rn" + run));
        assertEquals(List.of(Long.toString(renamed.id())), answers.get("users: after rename"));
        return answers;
    }
}
