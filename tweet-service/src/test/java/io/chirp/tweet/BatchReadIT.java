package io.chirp.tweet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/** {@code POST /internal/tweets/batch}: timeline hydration, one query per physical shard. */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
@MicronautTest
class BatchReadIT extends ApiTestSupport {

    @Inject
    ShardedDataSources shards;

    @Inject
    MeterRegistry meters;

    @Test
    void aHundredIdsOverBothShardsCostOneQueryPerShardAndComeBackInTheOrderAsked() {
        // ten authors, five on each physical shard (logical shards 0-4095 → shard0, 4096-8191 → shard1)
        List<String> ids = new ArrayList<>();
        for (int a = 0; a < 10; a++) {
            TestUser author = newUserOn(a % 2 == 0 ? 17 + a : 5000 + a, "b" + a + "_");
            for (int t = 0; t < 10; t++) {
                ids.add(post(author, "tweet " + t + " of author " + a).path("id").asText());
            }
        }
        Set<String> physical = ids.stream().map(id -> shards.physicalNameOf(Long.parseLong(id)))
                .collect(Collectors.toSet());
        assertEquals(Set.of("shard0", "shard1"), physical, "the tweets are spread over both shards");
        Collections.shuffle(ids, new Random(42));

        Map<String, Double> before = batchQueries();
        Response response = send("POST", "/internal/tweets/batch", null, Map.of("ids", ids));
        assertEquals(200, response.status(), response.body());
        Map<String, Double> after = batchQueries();

        assertEquals(1.0, after.get("shard0") - before.get("shard0"), "one query on shard0");
        assertEquals(1.0, after.get("shard1") - before.get("shard1"), "one query on shard1");
        List<String> served = new ArrayList<>();
        response.json().path("items").forEach(t -> served.add(t.path("id").asText()));
        assertEquals(ids, served, "every tweet, in the order asked");
        JsonNode first = response.json().path("items").get(0);
        assertEquals(tweet(ids.get(0)), first, "the same Tweet as GET /api/v1/tweets/{id}");
    }

    @Test
    void missingAndDeletedTweetsAreLeftOut() {
        TestUser author = newUser("bm_");
        String kept = post(author, "kept").path("id").asText();
        String deleted = post(author, "deleted").path("id").asText();
        String alsoKept = post(author, "also kept").path("id").asText();
        assertEquals(204, delete(author, deleted).status());
        Response response = send("POST", "/internal/tweets/batch", null,
                Map.of("ids", List.of(alsoKept, "123456789", deleted, kept)));
        assertEquals(200, response.status(), response.body());
        List<String> served = new ArrayList<>();
        response.json().path("items").forEach(t -> served.add(t.path("id").asText()));
        assertEquals(List.of(alsoKept, kept), served);
        assertEquals(0, send("POST", "/internal/tweets/batch", null, Map.of("ids", List.of())).json()
                .path("items").size());
    }

    @Test
    void moreThanTwoHundredIdsOrAnInvalidIdIsRefusedNamingIds() {
        List<String> tooMany = new ArrayList<>();
        for (int i = 1; i <= 201; i++) {
            tooMany.add(Integer.toString(i));
        }
        assertProblem(send("POST", "/internal/tweets/batch", null, Map.of("ids", tooMany)), 400, "ids");
        assertEquals(200, send("POST", "/internal/tweets/batch", null, Map.of("ids", tooMany.subList(0, 200)))
                .status(), "200 is allowed");
        assertProblem(send("POST", "/internal/tweets/batch", null, Map.of("ids", List.of("12", "x"))), 400, "ids");
        assertProblem(send("POST", "/internal/tweets/batch", null, Map.of()), 400, "ids");
    }

    private Map<String, Double> batchQueries() {
        return shards.all().keySet().stream().collect(Collectors.toMap(name -> name, name -> {
            Counter counter = meters.find("tweet.shard.queries").tags("query", "batch", "shard", name).counter();
            return counter == null ? 0.0 : counter.count();
        }));
    }
}
