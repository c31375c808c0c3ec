package io.chirp.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * A user's {@code tweetCount} follows tweet-service's events (published here as tweet-service
 * would): each TweetCreated counts once however often it is delivered, TweetDeleted takes one
 * off, and a record that cannot be read is dead-lettered without holding up the next.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TweetCountIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    KafkaProducer<String, String> producer;

    @BeforeAll
    void start() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedEngines.get().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    void stop() {
        producer.close();
    }

    @Test
    void eachTweetCountsOnceAndADeletionTakesOneOff() {
        long author = register("tc_" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36)
                .substring(0, 10));
        TweetCreated first = created(author, 1001);
        publish("TweetCreated", author, first);
        publish("TweetCreated", author, first); // a redelivery
        publish("TweetCreated", author, created(author, 1002));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(2, tweetCount(author), "two tweets, one redelivered"));

        publish("TweetDeleted", author, new TweetDeleted(UUID.randomUUID(), Instant.now(), 1, 1001, author));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(1, tweetCount(author)));
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndTheNextOneStillCounts() {
        long author = register("tp_" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36)
                .substring(0, 10));
        send("TweetCreated", author, "{not json");
        publish("TweetCreated", author, created(author, 2001)); // behind the poison on the same partition
        await().atMost(WAIT).untilAsserted(() -> assertEquals(1, tweetCount(author)));
    }

    TweetCreated created(long author, long tweetId) {
        return new TweetCreated(UUID.randomUUID(), Instant.now(), TweetCreated.SCHEMA_VERSION, tweetId, author, "a",
                "text " + tweetId, List.of(), List.of(), null, null, Instant.now());
    }

    long register(String username) {
        return Long.parseLong((String) http.toBlocking().retrieve(HttpRequest.POST("/api/v1/users", Map.of(
                "username", username, "email", username + "@example.com", "password", "correct horse battery")),
                Map.class).get("id"));
    }

    long tweetCount(long userId) {
        return ((Number) http.toBlocking().retrieve(HttpRequest.GET("/api/v1/users/" + userId), Map.class)
                .get("tweetCount")).longValue();
    }

    void publish(String type, long author, Object event) {
        try {
            send(type, author, json.writeValueAsString(event));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As tweet-service's relay would: keyed by the author, the event-type header. */
    void send(String type, long author, String value) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TWEET_EVENTS, Long.toString(author), value);
            record.headers().add("chirp-event-type", type.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
