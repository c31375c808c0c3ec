package io.chirp.timeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.chirp.engines.Ports;
import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.events.UserFollowed;
import io.chirp.platform.events.UserUnfollowed;
import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.sharding.IdGenerator;
import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.web.ApiTimestamps;
import io.chirp.timeline.domain.TweetView;
import io.chirp.timeline.support.SystemOfRecord;
import io.chirp.timeline.support.TestJwks;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
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

/**
 * The home timeline on real Redis and Kafka: events in (as tweet-service and user-service
 * publish them), pages out through the HTTP API. The celebrity threshold is 5 here.
 */
@RealEngines({Engine.REDIS, Engine.KAFKA})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomeTimelineIT implements TestPropertyProvider {

    private final int port = Ports.freePort();
    private final IdGenerator ids = new IdGenerator();

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    MeterRegistry metrics;

    KafkaProducer<String, String> producer;
    RedisClient redisClient;
    StatefulRedisConnection<String, String> redisConnection;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("micronaut.server.port", Integer.toString(port));
        properties.put("chirp.timeline.celebrity-threshold", "5");
        properties.put("micronaut.security.token.jwt.signatures.jwks.users.url", base() + "/test-jwks");
        properties.put("micronaut.http.services.tweet-service.url", base());
        properties.put("micronaut.http.services.user-service.url", base());
        return properties;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    @BeforeAll
    void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedEngines.get().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
        redisClient = RedisClient.create(SharedEngines.get().redisUri());
        redisConnection = redisClient.connect();
    }

    @AfterAll
    void disconnect() {
        producer.close();
        redisConnection.close();
        redisClient.shutdown();
    }

    RedisCommands<String, String> redis() {
        return redisConnection.sync();
    }

    long newUser() {
        return ids.next(LogicalShards.forUser());
    }

    // --- what tweet-service and user-service would publish ---------------------------------

    void publish(String topic, long key, Object event) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, Long.toString(key),
                json.writeValueAsString(event));
        record.headers().add("chirp-event-type", event.getClass().getSimpleName().getBytes());
        producer.send(record).get();
    }

    long post(long author) throws Exception {
        long id = ids.next(ChirpId.logicalShard(author));
        Instant createdAt = ChirpId.timestamp(id);
        TweetCreated event = new TweetCreated(UUID.randomUUID(), Instant.now(), 1, id, author, "u" + author,
                "tweet " + id, List.of(), List.of(), null, null, createdAt);
        SystemOfRecord.tweet(new TweetView(Long.toString(id), Long.toString(author), "u" + author, event.text(),
                ApiTimestamps.format(createdAt), null, null, List.of(), List.of(), 0, 0, 0));
        publish(Topics.TWEET_EVENTS, id, event);
        return id;
    }

    void delete(long author, long tweet) throws Exception {
        SystemOfRecord.delete(tweet);
        publish(Topics.TWEET_EVENTS, tweet, new TweetDeleted(UUID.randomUUID(), Instant.now(), 1, tweet, author));
    }

    void follow(long follower, long followee) throws Exception {
        SystemOfRecord.follow(follower, followee);
        publish(Topics.USER_EVENTS, follower, new UserFollowed(UUID.randomUUID(), Instant.now(), 1, follower, followee));
    }

    void unfollow(long follower, long followee) throws Exception {
        SystemOfRecord.unfollow(follower, followee);
        publish(Topics.USER_EVENTS, follower, new UserUnfollowed(UUID.randomUUID(), Instant.now(), 1, follower, followee));
    }

    // --- reading ----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    Map<String, Object> page(long reader, int limit, String cursor) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/v1/timelines/home?limit=" + limit
                + (cursor == null ? "" : "&cursor=" + cursor)).bearerAuth(TestJwks.token(reader)), Map.class);
    }

    @SuppressWarnings("unchecked")
    List<Long> home(long reader, int limit) {
        return ((List<Map<String, Object>>) page(reader, limit, null).get("items")).stream()
                .map(t -> Long.parseLong((String) t.get("id"))).toList();
    }

    @SuppressWarnings("unchecked")
    List<Long> wholeHome(long reader, int pageSize) {
        List<Long> all = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = page(reader, pageSize, cursor);
            ((List<Map<String, Object>>) page.get("items")).forEach(t -> all.add(Long.parseLong((String) t.get("id"))));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return all;
    }

    static List<Long> newestFirst(List<Long> ids) {
        List<Long> sorted = new ArrayList<>(ids);
        sorted.sort(Collections.reverseOrder());
        return sorted;
    }

    // --- tests ------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aNewTweetReachesItsFollowersAndItsAuthorPrintsVisibility() throws Exception {
        long author = newUser();
        long follower = newUser();
        follow(follower, author);
        await().atMost(Duration.ofSeconds(20)).until(() -> redis().sismember("followers:" + author, Long.toString(follower)));
        assertEquals(List.of(), home(follower, 5)); // creates the follower's feed
        List<Long> latenciesMicros = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long start = System.nanoTime();
            long tweet = post(author);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> home(follower, 1).equals(List.of(tweet)));
            latenciesMicros.add((System.nanoTime() - start) / 1000);
        }
        Collections.sort(latenciesMicros);
        System.out.printf("fan-out visibility over 200 posts (publish -> in the follower's GET /timelines/home):"
                        + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", latenciesMicros.get(99) / 1000.0,
                latenciesMicros.get(197) / 1000.0, latenciesMicros.get(199) / 1000.0);
        long last = home(follower, 1).get(0);
        assertEquals(List.of(last), home(author, 1), "the author sees their own tweet");
    }

    @Test
    @Order(2)
    void aCelebritysTweetIsInNoFeedButMergedInOrderIntoEveryFollowersPages() throws Exception {
        long celebrity = newUser();
        long ordinary = newUser();
        List<Long> readers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long reader = newUser();
            readers.add(reader);
            follow(reader, celebrity);
        }
        follow(readers.get(0), ordinary);
        await().atMost(Duration.ofSeconds(20)).until(() -> redis().sismember("celebrities", Long.toString(celebrity)));
        readers.forEach(r -> home(r, 1)); // every reader has a feed: fan-out would reach it
        List<Long> celebrityTweets = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long c = post(celebrity);
            long o = post(ordinary);
            celebrityTweets.add(c);
            all.add(c);
            all.add(o);
        }
        long reader = readers.get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> wholeHome(reader, 3).size() == 10);
        assertEquals(newestFirst(all), wholeHome(reader, 3), "merged newest first, paged without duplicates or gaps");
        for (long other : readers.subList(1, 6)) {
            assertEquals(newestFirst(celebrityTweets), wholeHome(other, 4));
        }
        for (long r : readers) {
            for (long c : celebrityTweets) {
                assertNull(redis().zscore("feed:" + r, Long.toString(c)), "celebrity tweets are not fanned out");
            }
        }
    }

    @Test
    @Order(3)
    void followBackfillsUnfollowRemovesDeleteRemoves() throws Exception {
        long reader = newUser();
        long author = newUser();
        List<Long> tweets = List.of(post(author), post(author), post(author));
        home(reader, 5);
        follow(reader, author);
        await().atMost(Duration.ofSeconds(20)).until(() -> home(reader, 10).equals(newestFirst(tweets)));
        delete(author, tweets.get(1));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                home(reader, 10).equals(newestFirst(List.of(tweets.get(0), tweets.get(2)))));
        assertNull(redis().zscore("feed:" + reader, Long.toString(tweets.get(1))));
        unfollow(reader, author);
        await().atMost(Duration.ofSeconds(20)).until(() -> home(reader, 10).isEmpty());
    }

    @Test
    @Order(4)
    void aFeedNeverExceeds800AndARedeliveredTweetIsOneEntry() throws Exception {
        long author = newUser();
        long reader = newUser();
        follow(reader, author);
        await().atMost(Duration.ofSeconds(20)).until(() -> redis().sismember("followers:" + author, Long.toString(reader)));
        home(reader, 1);
        long last = 0;
        for (int i = 0; i < 850; i++) {
            last = post(author);
        }
        long newest = last;
        await().atMost(Duration.ofSeconds(60)).until(() -> redis().zscore("feed:" + reader, Long.toString(newest)) != null);
        assertEquals(800L, redis().zcard("feed:" + reader));

        long tweet = ids.next(ChirpId.logicalShard(author));
        TweetCreated event = new TweetCreated(UUID.randomUUID(), Instant.now(), 1, tweet, author, "u" + author, "again",
                List.of(), List.of(), null, null, ChirpId.timestamp(tweet));
        for (int i = 0; i < 3; i++) {
            publish(Topics.TWEET_EVENTS, tweet, event);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> redis().zscore("feed:" + reader, Long.toString(tweet)) != null);
        assertEquals(800L, redis().zcard("feed:" + reader));
        assertEquals(1, home(reader, 100).stream().filter(id -> id == tweet).count());
    }

    @Test
    @Order(5)
    void fanningOutToFiveThousandFollowersTakesAHandfulOfRoundTrips() throws Exception {
        long author = newUser();
        List<String> followers = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            followers.add(Long.toString(newUser()));
        }
        // a large audience seeded straight into the read model, each with an existing feed
        redis().sadd("followers:" + author, followers.toArray(String[]::new));
        for (String f : followers) {
            redis().zadd("feed:" + f, Double.NEGATIVE_INFINITY, "0");
        }
        double before = metrics.counter("chirp.timeline.fanout.round.trips").count();
        long tweet = post(author);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                redis().zscore("feed:" + followers.get(4999), Long.toString(tweet)) != null);
        double roundTrips = metrics.counter("chirp.timeline.fanout.round.trips").count() - before;
        System.out.printf("fan-out of one tweet to 5000 followers: %.0f Redis round trips%n", roundTrips);
        assertEquals(6.0, roundTrips, "5001 feeds (followers and author) in batches of 1000");
        Set<String> missing = new HashSet<>();
        for (String f : followers) {
            if (redis().zscore("feed:" + f, Long.toString(tweet)) == null) {
                missing.add(f);
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " feeds missed the tweet");
    }

    @Test
    @Order(6)
    void withRedisDownTheHomeTimelineStillAnswersAndFeedsAreRebuiltWhenItReturns() throws Exception {
        long reader = newUser();
        long author = newUser();
        follow(reader, author);
        List<Long> tweets = List.of(post(author), post(author), post(author));
        await().atMost(Duration.ofSeconds(20)).until(() -> home(reader, 10).equals(newestFirst(tweets)));

        SharedEngines.get().stop(Engine.REDIS);
        try {
            assertEquals(newestFirst(tweets), home(reader, 10), "degraded to fan-out on read, not 5xx");
            assertEquals(newestFirst(tweets), wholeHome(reader, 2), "paged the same way");
        } finally {
            SharedEngines.get().restart(Engine.REDIS);
        }
        // Redis came back empty: the read rebuilds the feed (and what it needs) from the systems of record
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> redis().exists("feed:" + reader) == 1 || !home(reader, 10).isEmpty()
                        && redis().exists("feed:" + reader) == 1);
        assertEquals(newestFirst(tweets), home(reader, 10));
        assertTrue(metrics.counter("chirp.timeline.degraded.reads").count() >= 2);
    }

    @Test
    @Order(7)
    void eventsHandledAfterRedisLostItsDataDoNotPassForTheWholeReadModel() throws Exception {
        long reader = newUser();
        long first = newUser();
        long second = newUser();
        follow(reader, first);
        List<Long> before = List.of(post(first), post(first), post(second));
        await().atMost(Duration.ofSeconds(20)).until(() -> home(reader, 10).equals(newestFirst(before.subList(0, 2))));

        // Redis loses everything it knew about these users (as a restart without persistence would)
        redis().del("feed:" + reader, "following:" + reader, "follows-known:" + reader, "followers:" + first,
                "followers:" + second, "posts:" + first, "posts-known:" + first, "posts:" + second,
                "posts-known:" + second);
        // events handled before the reader's next read: one more post, one more follow
        long after = post(first);
        follow(reader, second);
        await().atMost(Duration.ofSeconds(20)).until(() -> redis().zscore("posts:" + first, Long.toString(after)) != null
                && redis().sismember("following:" + reader, Long.toString(second)));

        // the rebuilt feed is whole: the posts and follows from before the loss are re-read, not
        // taken to be just what the events brought
        List<Long> all = new ArrayList<>(before);
        all.add(after);
        assertEquals(newestFirst(all), home(reader, 10));
    }

    @Test
    void withoutATokenTheHomeTimelineIs401() {
        HttpClientResponseException e = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/timelines/home")));
        assertEquals(HttpStatus.UNAUTHORIZED, e.getStatus());
        HttpClientResponseException bad = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/timelines/home?limit=101")
                        .bearerAuth(TestJwks.token(newUser()))));
        assertEquals(HttpStatus.BAD_REQUEST, bad.getStatus());
        assertFalse(bad.getResponse().getBody(String.class).orElse("").isEmpty());
    }
}
