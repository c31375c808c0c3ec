package io.chirp.user;

import io.chirp.platform.events.UserDeleted;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.Topics;
import io.chirp.platform.events.UserUnfollowed;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.user.domain.AccountDeletionService;
import io.chirp.user.domain.FollowStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * The end of the account-deletion saga: the participants' acknowledgements arrive on
 * {@code chirp.account-deletion.replies} (published here as the participants would), then the
 * follow edges on both sides, the claims and the user go, and UserDeleted is published once.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountDeletionIT {

    static final List<String> PARTICIPANTS = List.of("tweet-service", "timeline-service", "like-service",
            "search-service");
    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    ShardedDataSources shards;

    @Inject
    JsonMapper json;

    @Inject
    MeterRegistry meters;

    @Inject
    FollowStore follows;

    @Inject
    AccountDeletionService deletions;

    UserEventsProbe events;
    KafkaProducer<String, String> producer;

    @BeforeAll
    void start() {
        events = new UserEventsProbe();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedEngines.get().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    void stop() throws InterruptedException {
        producer.close();
        events.close();
    }

    @Test
    void aUserWithFollowersAndFolloweesIsRemovedOnceEveryParticipantAcknowledged() throws Exception {
        String name = unique("del_");
        long user = register(name);
        long follower1 = register(unique("df1_"));
        long follower2 = register(unique("df2_"));
        long followee1 = register(unique("de1_"));
        long followee2 = register(unique("de2_"));
        follow(follower1, user);
        follow(follower2, user);
        follow(user, followee1);
        follow(user, followee2);
        follow(follower1, followee1); // not the deleted user's: stays
        UUID deletionId = requestDeletion(user);
        assertEquals(HttpStatus.NOT_FOUND, assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/users/" + user))).getStatus());

        // three of four acknowledgements: recorded, nothing removed yet
        List<AccountDeletionStepDone> acks = PARTICIPANTS.stream().map(p -> new AccountDeletionStepDone(
                UUID.randomUUID(), Instant.now(), AccountDeletionStepDone.SCHEMA_VERSION, deletionId, user, p)).toList();
        for (int i = 0; i < 3; i++) {
            publish(acks.get(i));
        }
        await().atMost(WAIT).until(() -> count(shards.forId(user),
                "SELECT count(*) FROM deletion_steps WHERE deletion_id = '" + deletionId + "'") == 3);
        assertEdgesOfUser(user, 4);
        assertEquals("REQUESTED", deletionState(user, deletionId));
        assertEquals(1, count(shards.forId(user), "SELECT count(*) FROM users WHERE id = " + user));

        // a redelivered acknowledgement changes nothing
        double duplicates = duplicates();
        publish(acks.get(0));
        await().atMost(WAIT).until(() -> duplicates() >= duplicates + 1);
        assertEquals(3, count(shards.forId(user),
                "SELECT count(*) FROM deletion_steps WHERE deletion_id = '" + deletionId + "'"));
        assertEdgesOfUser(user, 4);
        assertEquals("REQUESTED", deletionState(user, deletionId));

        // the last one finishes the saga
        publish(acks.get(3));
        await().atMost(WAIT).until(() -> "DONE".equals(deletionState(user, deletionId)));
        assertEdgesOfUser(user, 0);
        assertEquals(0, count(shards.forId(user), "SELECT count(*) FROM users WHERE id = " + user));
        assertCounts(follower1, 0, 1);
        assertCounts(follower2, 0, 0);
        assertCounts(followee1, 1, 0);
        assertCounts(followee2, 0, 0);
        awaitEvents("UserDeleted", Map.of("userId", user, "deletionId", deletionId), 1);
        for (long[] edge : new long[][] {{follower1, user}, {follower2, user}, {user, followee1}, {user, followee2}}) {
            awaitEvents("UserUnfollowed", Map.of("followerId", edge[0], "followeeId", edge[1]), 1);
        }
        assertEquals(0, events.matching("UserUnfollowed", Map.of("followerId", follower1, "followeeId", followee1))
                .size());

        // acknowledgements delivered again after the end change nothing either
        double before = duplicates();
        acks.forEach(this::publish);
        await().atMost(WAIT).until(() -> duplicates() >= before + acks.size());
        assertCounts(follower1, 0, 1);
        assertCounts(followee1, 1, 0);
        assertEquals(1, events.matching("UserDeleted", Map.of("userId", user)).size(), events.summary());

        // the username and email are free again
        assertEquals(HttpStatus.CREATED, http.toBlocking().exchange(HttpRequest.POST("/api/v1/users", Map.of(
                "username", name, "email", name + "@example.com", "password", "correct horse battery"))).getStatus());
    }

    @Test
    void aParticipantThatDoesNotAcknowledgeIsAskedAgain() throws Exception {
        String name = unique("late");
        long user = register(name);
        String deletionId = http.toBlocking().retrieve(HttpRequest.DELETE("/api/v1/users/me").bearerAuth(token(user)),
                Map.class).get("deletionId").toString();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                events.matching("UserDeletionRequested", Map.of("userId", user)).size() == 1);
        // nobody answers for a while
        try (Connection c = shards.forId(user).getConnection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE deletions SET updated_at = now() - interval '10 minutes' WHERE id = '" + deletionId + "'");
        }
        org.junit.jupiter.api.Assertions.assertTrue(deletions.requestAgainWaitingLongerThan(Duration.ofMinutes(1)) >= 1);
        assertEquals(0, deletions.requestAgainWaitingLongerThan(Duration.ofMinutes(1)),
                "asked again once, then the clock restarts");
        await().atMost(Duration.ofSeconds(20)).until(() -> events.matching("UserDeletionRequested",
                Map.of("userId", user, "deletionId", deletionId)).size() == 2);
    }

    @Test
    void aDeletionThatCrashedAfterSomeEdgesWereRemovedIsFinishedByTheSweep() throws Exception {
        String name = unique("dc_");
        long user = register(name);
        long follower = register(unique("dcf_"));
        long followee1 = register(unique("dce1_"));
        long followee2 = register(unique("dce2_"));
        follow(follower, user);
        follow(user, followee1);
        follow(user, followee2);
        UUID deletionId = requestDeletion(user);
        // the state a process leaves when it dies half-way through finishing: every acknowledgement
        // recorded, followee1's side of its edge removed (with its event), the user's side not yet
        for (String participant : PARTICIPANTS) {
            execute(shards.forId(user), "INSERT INTO deletion_steps (deletion_id, participant) VALUES (?, ?)",
                    deletionId, participant);
        }
        follows.removeFollower(user, followee1, new UserUnfollowed(UUID.randomUUID(), Instant.now(),
                UserUnfollowed.SCHEMA_VERSION, user, followee1));

        deletions.finishReady(); // the recovery sweep (SagaRecovery.recover)

        assertEquals("DONE", deletionState(user, deletionId));
        assertEdgesOfUser(user, 0);
        assertEquals(0, count(shards.forId(user), "SELECT count(*) FROM users WHERE id = " + user));
        assertCounts(follower, 0, 0);
        assertCounts(followee1, 0, 0);
        assertCounts(followee2, 0, 0);
        awaitEvents("UserDeleted", Map.of("userId", user, "deletionId", deletionId), 1);
        for (long[] edge : new long[][] {{follower, user}, {user, followee1}, {user, followee2}}) {
            awaitEvents("UserUnfollowed", Map.of("followerId", edge[0], "followeeId", edge[1]), 1);
        }
        deletions.finishReady(); // a second sweep finds nothing to do
        assertEquals(1, events.matching("UserDeleted", Map.of("userId", user)).size());
        assertEquals(HttpStatus.CREATED, http.toBlocking().exchange(HttpRequest.POST("/api/v1/users", Map.of(
                "username", name, "email", name + "@example.com", "password", "correct horse battery"))).getStatus());
    }

    // --- helpers ---

    static String unique(String prefix) {
        return prefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
    }

    long register(String username) {
        return Long.parseLong((String) http.toBlocking().retrieve(HttpRequest.POST("/api/v1/users", Map.of(
                "username", username, "email", username + "@example.com", "password", "correct horse battery")),
                Map.class).get("id"));
    }

    String token(long userId) {
        String username = (String) http.toBlocking().retrieve(HttpRequest.GET("/api/v1/users/" + userId), Map.class)
                .get("username");
        return (String) http.toBlocking().retrieve(HttpRequest.POST("/api/v1/auth/token",
                Map.of("username", username, "password", "correct horse battery")), Map.class).get("accessToken");
    }

    void follow(long follower, long followee) {
        assertEquals(HttpStatus.NO_CONTENT, http.toBlocking().exchange(HttpRequest.PUT(
                "/api/v1/users/me/following/" + followee, "").bearerAuth(token(follower))).getStatus());
    }

    UUID requestDeletion(long userId) {
        return UUID.fromString((String) http.toBlocking().retrieve(HttpRequest.DELETE("/api/v1/users/me")
                .bearerAuth(token(userId)), Map.class).get("deletionId"));
    }

    /** As a participant would: JSON by Micronaut's mapper, key the user id, the event-type header. */
    void publish(AccountDeletionStepDone ack) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ACCOUNT_DELETION_REPLIES,
                    Long.toString(ack.userId()), json.writeValueAsString(ack));
            record.headers().add("chirp-event-type", "AccountDeletionStepDone".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    double duplicates() {
        return meters.find("user.events.consumed").tag("type", "AccountDeletionStepDone").tag("outcome", "duplicate")
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Edges naming the user, on any shard, either table. */
    void assertEdgesOfUser(long user, int expected) throws Exception {
        int total = 0;
        for (DataSource db : shards.all().values()) {
            total += count(db, "SELECT count(*) FROM following WHERE follower_id = " + user + " OR followee_id = " + user);
            total += count(db, "SELECT count(*) FROM followers WHERE follower_id = " + user + " OR followee_id = " + user);
        }
        assertEquals(expected * 2, total, "rows of " + expected + " edges, both sides");
    }

    void assertCounts(long userId, long followers, long following) {
        Map<?, ?> body = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/users/" + userId), Map.class);
        assertEquals(followers, ((Number) body.get("followersCount")).longValue(), "followersCount of " + userId);
        assertEquals(following, ((Number) body.get("followingCount")).longValue(), "followingCount of " + userId);
    }

    String deletionState(long user, UUID deletionId) throws Exception {
        try (Connection c = shards.forId(user).getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT state FROM deletions WHERE id = ?")) {
            s.setObject(1, deletionId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void awaitEvents(String type, Map<String, Object> fields, int count) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(count, events.matching(type, fields).size(),
                type + " " + fields + "; seen: " + events.summary()));
    }

    private static void execute(DataSource db, String sql, Object... args) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    private static int count(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
