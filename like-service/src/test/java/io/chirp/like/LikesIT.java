package io.chirp.like;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.datastax.oss.driver.api.core.CqlSession;

import io.chirp.engines.Ports;
import io.chirp.like.domain.LikeService;
import io.chirp.like.domain.LikeStore;
import io.chirp.like.support.TweetServiceDouble;
import io.chirp.platform.events.Topics;
import io.chirp.platform.messaging.SagaGauges;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;

/** Likes on real Cassandra and Kafka: exactly-once counts, the like saga and its compensation. */
@RealEngines({Engine.CASSANDRA, Engine.KAFKA})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LikesIT implements TestPropertyProvider {

    private final int port = Ports.freePort();

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    LikeService likes;

    @Inject
    LikeStore store;

    @Inject
    CqlSession session;

    @Inject
    JsonMapper json;

    @Inject
    MeterRegistry meters;

    @Override
    public Map<String, String> getProperties() {
        String base = "http://127.0.0.1:" + port;
        return Map.of("micronaut.server.port", Integer.toString(port),
                "micronaut.security.token.jwt.signatures.jwks.users.url", base + "/test-jwks",
                "micronaut.http.services.tweet-service.url", base,
                "micronaut.http.services.user-service.url", base,
                "chirp.likes.recovery-interval", "1h",
                "chirp.metrics.refresh-interval", "200ms");
    }

    @BeforeAll
    void startTweetService() {
        TweetServiceDouble.start(json);
    }

    static long id() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    long tweet() {
        long id = id();
        TweetServiceDouble.TWEETS.add(id);
        return id;
    }

    int put(long user, long tweet) {
        return http.toBlocking().exchange(HttpRequest.PUT("/api/v1/tweets/" + tweet + "/likes/me", "")
                .bearerAuth(TestTokens.forUser(user))).code();
    }

    int delete(long user, long tweet) {
        return http.toBlocking().exchange(HttpRequest.DELETE("/api/v1/tweets/" + tweet + "/likes/me")
                .bearerAuth(TestTokens.forUser(user))).code();
    }

    long rows(long tweet) {
        return session.execute("SELECT count(*) FROM chirp.likes_by_tweet WHERE tweet_id = " + tweet).one().getLong(0);
    }

    long likeCountOnTheTweet(long tweet) {
        return TweetServiceDouble.LIKE_COUNTS.getOrDefault(tweet, new AtomicLong()).get();
    }

    void awaitConverged(long tweet, long expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(expected, rows(tweet), "rows");
            assertEquals(expected, store.countOf(tweet), "counter");
            assertEquals(expected, likeCountOnTheTweet(tweet), "likeCount on the tweet");
            assertEquals(0, store.stalledSagas(Duration.ZERO).stream().filter(s -> s.tweetId() == tweet).count(),
                    "no saga left in flight");
        });
    }

    @Test
    void fiftyConcurrentLikesByOneUserCountOnce() throws Exception {
        long tweet = tweet();
        long user = id();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(pool.submit(() -> put(user, tweet)));
        }
        for (Future<Integer> call : calls) {
            assertEquals(204, call.get());
        }
        pool.shutdown();
        awaitConverged(tweet, 1);
    }

    @Test
    void likeUnlikeAndReLikeInAnyInterleavingConverge() throws Exception {
        long tweet = tweet();
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            users.add(id());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (long user : users) {
            work.add(pool.submit(() -> {
                for (int round = 0; round < 5; round++) {
                    put(user, tweet);
                    put(user, tweet);
                    delete(user, tweet);
                    put(user, tweet);
                }
                if (user % 2 == 0) {
                    delete(user, tweet);
                    delete(user, tweet);
                }
                return null;
            }));
        }
        for (Future<?> w : work) {
            w.get();
        }
        pool.shutdown();
        long expected = users.stream().filter(u -> u % 2 != 0).count();
        awaitConverged(tweet, expected);
    }

    @Test
    void aLikeOfATweetDeletedWhileTheSagaRunsIsCompensated() throws Exception {
        long tweet = tweet();
        long user = id();
        UUID marker = UUID.randomUUID();
        try (KafkaConsumer<String, String> events = likeEvents(marker)) {
            // the tweet exists when the like arrives, and is gone when tweet-service checks it
            TweetServiceDouble.TWEETS.remove(tweet);
            assertThrows(HttpClientResponseException.class, () -> put(user, tweet), "404 at request time");
            TweetServiceDouble.TWEETS.add(tweet);
            TweetServiceDouble.DELETE_BEFORE_NEXT_COMMAND.add(tweet);
            assertEquals(204, put(user, tweet), "the tweet exists when the like arrives");
            awaitConverged(tweet, 0);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (var record : events.poll(Duration.ofMillis(200))) {
                    if (record.value().contains(Long.toString(tweet)) && new String(record.headers()
                            .lastHeader("chirp-event-type").value()).equals("LikeCompensated")) {
                        return true;
                    }
                }
                return false;
            });
        }
        assertEquals(List.of(), store.likesBy(user, java.util.Optional.empty(), 10).items());
    }

    private KafkaConsumer<String, String> likeEvents(UUID group) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedEngines.get().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, group.toString(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(Set.of(Topics.LIKE_EVENTS));
        return consumer;
    }

    @Test
    void aSagaInterruptedAfterItsClaimIsResumedWithoutCountingTwice() throws Exception {
        long tweet = tweet();
        long user = id();
        put(id(), tweet); // someone else's like, counted normally
        awaitConverged(tweet, 1);
        // the state a crash leaves: saga STARTED, like claimed, counter not yet moved
        var saga = store.startSaga(tweet, user, +1);
        store.claim(tweet, user, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), saga.id());
        session.execute("UPDATE chirp.like_sagas SET updated_at = '2020-01-01' WHERE bucket = 0 AND saga_id = " + saga.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> sagasInFlight("started") >= 1);

        likes.recoverStalled(Duration.ofSeconds(1));
        likes.recoverStalled(Duration.ofSeconds(1)); // a second sweep changes nothing

        awaitConverged(tweet, 2);
        assertEquals(1, store.likesBy(user, java.util.Optional.empty(), 10).items().size());
        // tweet-service's reply ends the saga: nothing is left in flight, in any state
        await().atMost(Duration.ofSeconds(30)).until(() ->
                sagasInFlight("started") == 0 && sagasInFlight("counted") == 0 && sagasInFlight("sent") == 0);
    }

    double sagasInFlight(String state) {
        return meters.get(SagaGauges.SAGA_INSTANCES_METRIC).tag("saga", "like").tag("state", state).gauge().value();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aThousandLikersAndAThousandLikesPageByCursor() throws Exception {
        long popular = tweet();
        long fan = id();
        TweetServiceDouble.USERS.add(fan);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long liker = id();
            long other = tweet();
            work.add(pool.submit(() -> {
                likes.like(liker, popular);
                likes.like(fan, other);
                return null;
            }));
        }
        for (Future<?> w : work) {
            w.get();
        }
        pool.shutdown();
        Set<String> likers = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> page = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/tweets/" + popular
                    + "/likes?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)), Map.class);
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            items.forEach(l -> assertEquals(true, likers.add((String) l.get("userId")), "no duplicate"));
            assertEquals(1000, ((Number) page.get("count")).intValue());
            cursor = (String) page.get("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(1000, likers.size());
        // Cassandra cannot know a full page was the last: it may hand out one more, empty page
        assertEquals(true, pages == 10 || pages == 11, pages + " pages");

        Set<String> liked = new HashSet<>();
        cursor = null;
        String previous = null;
        do {
            Map<String, Object> page = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/users/" + fan
                    + "/likes?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)), Map.class);
            for (Map<String, Object> tweet : (List<Map<String, Object>>) page.get("items")) {
                assertEquals(true, liked.add((String) tweet.get("id")), "no duplicate");
            }
            previous = cursor;
            cursor = (String) page.get("nextCursor");
        } while (cursor != null && !cursor.equals(previous));
        assertEquals(1000, liked.size());
    }

    @Test
    void refusals() {
        long missing = id();
        HttpClientResponseException notFound = assertThrows(HttpClientResponseException.class, () -> put(id(), missing));
        assertEquals(HttpStatus.NOT_FOUND, notFound.getStatus());
        assertEquals(HttpStatus.NOT_FOUND, assertThrows(HttpClientResponseException.class, () ->
                http.toBlocking().exchange(HttpRequest.GET("/api/v1/tweets/" + missing + "/likes"))).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, assertThrows(HttpClientResponseException.class, () ->
                http.toBlocking().exchange(HttpRequest.PUT("/api/v1/tweets/" + tweet() + "/likes/me", ""))).getStatus());
        assertEquals(HttpStatus.BAD_REQUEST, assertThrows(HttpClientResponseException.class, () ->
                http.toBlocking().exchange(HttpRequest.GET("/api/v1/tweets/" + tweet() + "/likes?cursor=forged!"))).getStatus());
        assertEquals(HttpStatus.BAD_REQUEST, assertThrows(HttpClientResponseException.class, () ->
                http.toBlocking().exchange(HttpRequest.GET("/api/v1/tweets/" + tweet() + "/likes?cursor=AAAAAAAA"))).getStatus());
    }
}
