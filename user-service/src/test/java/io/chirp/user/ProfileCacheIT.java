package io.chirp.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.UserDeleted;
import io.chirp.platform.events.UserUpdated;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.user.cache.ProfileCache;
import io.chirp.user.domain.User;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * Cache-aside profiles (io.chirp.user.cache) on real Redis, PostgreSQL shards and Kafka: a second
 * read comes from Redis (a row changed behind the service's back stays unseen) until a write or
 * an event invalidates it, concurrent misses of one key make one database read, reads survive a
 * stopped Redis, and the hit and miss counters say what happened.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProfileCacheIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    @Client("/")
    HttpClient httpClient;

    @Inject
    ShardedDataSources shards;

    @Inject
    ProfileCache cache;

    @Inject
    MeterRegistry meters;

    @Inject
    JsonMapper json;

    RedisClient redisClient;
    StatefulRedisConnection<String, String> redisConnection;
    KafkaProducer<String, String> producer;

    @BeforeAll
    void start() {
        redisClient = RedisClient.create(SharedEngines.get().redisUri());
        redisConnection = redisClient.connect();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedEngines.get().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    void stop() {
        producer.close();
        redisConnection.close();
        redisClient.shutdown();
    }

    @Test
    void secondReadComesFromRedisUntilAnUpdateThroughTheApiInvalidatesIt() throws Exception {
        String name = unique("pc_");
        long id = register(name);
        assertNull(redis().get(ProfileCache.key(id)), "registration caches nothing");

        assertEquals(name, profile(id).get("displayName"), "first read: a miss, from PostgreSQL");
        // written back by the fill, whose SET the read does not wait for
        await().atMost(WAIT).until(() -> redis().get(ProfileCache.key(id)) != null);
        long ttl = redis().pttl(ProfileCache.key(id));
        assertTrue(ttl > 290_000 && ttl <= 330_000, "5 min plus up to 10 %: " + ttl + " ms");

        sql(id, "UPDATE users SET display_name = 'Changed Behind' WHERE id = ?");
        assertEquals(name, profile(id).get("displayName"), "second read: from Redis, not the changed row");
        assertEquals(name, byUsername(name).get("displayName"), "by username too");

        String token = token(name);
        Map<?, ?> updated = http().retrieve(HttpRequest.PATCH("/api/v1/users/me", Map.of("bio", "new bio"))
                .bearerAuth(token), Map.class);
        assertEquals("Changed Behind", updated.get("displayName"), "the update read the row, not the cache");
        assertNull(redis().get(ProfileCache.key(id)), "invalidated after the commit");
        Map<?, ?> read = profile(id);
        assertEquals("new bio", read.get("bio"));
        assertEquals("Changed Behind", read.get("displayName"));
    }

    @Test
    void followAndUnfollowInvalidateBothUsersCounts() {
        String a = unique("pf_");
        String b = unique("pf_");
        long aId = register(a);
        long bId = register(b);
        assertEquals(0L, number(profile(aId), "followingCount"));
        assertEquals(0L, number(profile(bId), "followersCount"));
        String token = token(a);

        http().exchange(HttpRequest.PUT("/api/v1/users/me/following/" + bId, "").bearerAuth(token));
        assertEquals(1L, number(profile(aId), "followingCount"), "the follower's cached count was invalidated");
        assertEquals(1L, number(profile(bId), "followersCount"), "the followee's too");
        List<?> followers = (List<?>) http().retrieve(HttpRequest.GET("/api/v1/users/" + bId + "/followers"),
                Map.class).get("items");
        assertEquals(1L, number((Map<?, ?>) followers.get(0), "followingCount"), "a page hydrates from the cache");

        http().exchange(HttpRequest.DELETE("/api/v1/users/me/following/" + bId).bearerAuth(token));
        assertEquals(0L, number(profile(aId), "followingCount"));
        assertEquals(0L, number(profile(bId), "followersCount"));
    }

    @Test
    void userUpdatedAndUserDeletedFromKafkaInvalidate() throws Exception {
        String name = unique("pe_");
        long id = register(name);
        profile(id);
        sql(id, "UPDATE users SET bio = 'from elsewhere' WHERE id = ?");
        assertEquals("", profile(id).get("bio"), "cached");

        publish("UserUpdated", id, new UserUpdated(UUID.randomUUID(), Instant.now(), UserUpdated.SCHEMA_VERSION, id,
                name, name, "from elsewhere"));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("from elsewhere", profile(id).get("bio")));

        await().atMost(WAIT).until(() -> redis().get(ProfileCache.key(id)) != null); // cached again
        sql(id, "UPDATE users SET status = 'DELETING' WHERE id = ?");
        assertEquals(HttpStatus.OK, http().exchange(HttpRequest.GET("/api/v1/users/" + id)).getStatus(), "cached");
        publish("UserDeleted", id, new UserDeleted(UUID.randomUUID(), Instant.now(), UserDeleted.SCHEMA_VERSION, id,
                UUID.randomUUID()));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(HttpStatus.NOT_FOUND, assertThrows(
                HttpClientResponseException.class, () -> http().exchange(HttpRequest.GET("/api/v1/users/" + id)))
                .getStatus()));
        assertNull(redis().get(ProfileCache.key(id)), "a deleted user is not cached");
    }

    @Test
    void fiftyConcurrentReadsOfAColdKeyMakeOneDatabaseRead() throws Exception {
        String name = unique("ps_");
        long id = register(name);
        double hits = count("hit");
        double misses = count("miss");
        double coalesced = meters.get("chirp.profile.cache.coalesced").counter().count();
        ExecutorService readers = Executors.newFixedThreadPool(50);
        List<Future<Optional<User>>> reads = new ArrayList<>();
        // holding ACCESS EXCLUSIVE on users blocks every read of the table until the rollback: without single
        // flight all 50 would be waiting in PostgreSQL; with it one is, and 49 wait for its answer
        try (Connection lock = shards.forId(id).getConnection()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
            }
            for (int i = 0; i < 50; i++) {
                reads.add(readers.submit(() -> cache.find(id)));
            }
            // the first is the one in PostgreSQL (counted as a miss once Redis had no entry), the others joined it
            await().atMost(WAIT).until(() -> meters.get("chirp.profile.cache.coalesced").counter().count()
                    - coalesced >= 49 && count("miss") - misses >= 1);
            assertEquals(1, count("miss") - misses, 0.0, "one read waits in PostgreSQL");
            assertTrue(reads.stream().noneMatch(Future::isDone), "all 50 wait for it");
            lock.rollback();
        } finally {
            readers.shutdown();
        }
        for (Future<Optional<User>> read : reads) {
            assertEquals(name, read.get(30, TimeUnit.SECONDS).orElseThrow().username());
        }
        assertEquals(1, count("miss") - misses, 0.0, "exactly one database read");
        assertEquals(49, count("hit") - hits, 0.0, "the others shared it");
        assertEquals(49, meters.get("chirp.profile.cache.coalesced").counter().count() - coalesced, 0.0);
        // the fill's SET is not awaited by the readers: it lands in Redis just after they have their answer
        await().atMost(WAIT).until(() -> redis().get(ProfileCache.key(id)) != null);
    }

    @Test
    void readsAreServedFromPostgresqlWhileRedisIsDown() {
        String cached = unique("pd_");
        long cachedId = register(cached);
        long coldId = register(unique("pd_"));
        profile(cachedId);
        double failures = failures("get");
        double misses = count("miss");
        SharedEngines.get().stop(Engine.REDIS);
        try {
            assertEquals(cached, profile(cachedId).get("username"));
            assertEquals(coldId, Long.parseLong((String) profile(coldId).get("id")));
            assertEquals(2, count("miss") - misses, 0.0, "both read PostgreSQL");
            assertTrue(failures("get") - failures >= 2, "and the failed lookups are counted");
        } finally {
            SharedEngines.get().restart(Engine.REDIS);
        }
        // Lettuce reconnects on its own: the cache works again (Redis came back empty)
        await().atMost(WAIT).untilAsserted(() -> {
            profile(coldId);
            assertNotNull(redis().get(ProfileCache.key(coldId)));
        });
    }

    @Test
    void hitAndMissCountersOnPrometheusAfterAKnownSequence() {
        String name = unique("pm_");
        long id = register(name);
        long unknown = id + 1;
        Map<String, Double> before = prometheusGets();
        profile(id); // miss
        profile(id); // hit
        profile(id); // hit
        byUsername(name); // hit: the claim is read from PostgreSQL, the profile from Redis
        assertEquals(HttpStatus.NOT_FOUND, assertThrows(HttpClientResponseException.class,
                () -> http().exchange(HttpRequest.GET("/api/v1/users/" + unknown))).getStatus()); // miss, not cached
        assertEquals(HttpStatus.NOT_FOUND, assertThrows(HttpClientResponseException.class,
                () -> http().exchange(HttpRequest.GET("/api/v1/users/" + unknown))).getStatus()); // miss again
        Map<String, Double> after = prometheusGets();
        double hits = after.get("hit") - before.getOrDefault("hit", 0.0);
        double misses = after.get("miss") - before.getOrDefault("miss", 0.0);
        System.out.printf("profile cache after the sequence: hits %.0f, misses %.0f, hit ratio %.2f%n", hits, misses,
                hits / (hits + misses));
        assertEquals(3, hits, 0.0);
        assertEquals(3, misses, 0.0);
        assertFalse(prometheus().isEmpty());
    }

    // --- helpers

    BlockingHttpClient http() {
        return httpClient.toBlocking();
    }

    RedisCommands<String, String> redis() {
        return redisConnection.sync();
    }

    static String unique(String prefix) {
        return prefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
    }

    long register(String username) {
        return Long.parseLong((String) http().retrieve(HttpRequest.POST("/api/v1/users", Map.of("username", username,
                "email", username + "@example.com", "password", "correct horse battery", "displayName", username)),
                Map.class).get("id"));
    }

    String token(String username) {
        return (String) http().retrieve(HttpRequest.POST("/api/v1/auth/token",
                Map.of("username", username, "password", "correct horse battery")), Map.class).get("accessToken");
    }

    Map<?, ?> profile(long id) {
        return http().retrieve(HttpRequest.GET("/api/v1/users/" + id), Map.class);
    }

    Map<?, ?> byUsername(String username) {
        return http().retrieve(HttpRequest.GET("/api/v1/users/by-username/" + username), Map.class);
    }

    static long number(Map<?, ?> user, String field) {
        return ((Number) user.get(field)).longValue();
    }

    /** Changes the user's row directly, behind the service's back. */
    void sql(long id, String statement) throws Exception {
        try (Connection c = shards.forId(id).getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            s.setLong(1, id);
            assertEquals(1, s.executeUpdate());
        }
    }

    /** As user-service's outbox relay publishes it: keyed by the user, with the event-type header. */
    void publish(String type, long userId, Object event) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.USER_EVENTS, Long.toString(userId),
                json.writeValueAsString(event));
        record.headers().add("chirp-event-type", type.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    double count(String result) {
        return meters.get("cache.gets").tag("cache", ProfileCache.NAME).tag("result", result).counter().count();
    }

    double failures(String operation) {
        var counter = meters.find("chirp.profile.cache.redis.failures").tag("operation", operation).counter();
        return counter == null ? 0 : counter.count();
    }

    String prometheus() {
        return http().retrieve(HttpRequest.GET("/prometheus"), String.class);
    }

    /** {@code cache_gets_total{cache="chirp.profile.cache",result=...}} as scraped. */
    Map<String, Double> prometheusGets() {
        Matcher m = Pattern.compile("^cache_gets_total\\{cache=\"chirp\\.profile\\.cache\",result=\"(hit|miss)\"} (\\S+)$",
                Pattern.MULTILINE).matcher(prometheus());
        Map<String, Double> values = new java.util.HashMap<>();
        while (m.find()) {
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return values;
    }
}
