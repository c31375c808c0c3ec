package io.chirp.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/** The baseline does the same Redis work as Chirp's feed read: 20 tweets, newest first. */
@RealEngines(Engine.REDIS)
@MicronautTest
@Property(name = "baseline.users", value = "50")
@Property(name = "baseline.tweets", value = "2000")
class BaselineIT {

    @Inject
    @Client("/")
    HttpClient http;

    @Test
    void theTrivialEndpointAnswersWithoutAStore() {
        assertEquals("ok", http.toBlocking().retrieve("/trivial"));
    }

    @Test
    void aFeedReadReturnsTheTwentyNewestTweetsHydrated() throws Exception {
        JsonNode feed = new ObjectMapper().readTree(http.toBlocking().retrieve("/feed/7"));
        assertEquals(20, feed.size());
        long previous = Long.MAX_VALUE;
        for (JsonNode tweet : feed) {
            long id = Long.parseLong(tweet.path("id").asText());
            assertTrue(id < previous, "newest first, no duplicates");
            previous = id;
            assertTrue(tweet.path("text").asText().length() > 100, "the cached tweet's body");
        }
    }
}
