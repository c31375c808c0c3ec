package io.chirp.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.platform.messaging.Outbox;
import io.chirp.platform.messaging.OutboxBacklogGauges;
import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.platform.messaging.SagaGauges;
import io.chirp.platform.sharding.IdGenerator;
import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.database.OutboxRelays;
import io.chirp.user.domain.FollowService;
import io.chirp.user.domain.RegistrationService;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/** What survives a crash: sagas left half-way, and events committed but not yet published. */
@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
@MicronautTest
@Property(name = "chirp.metrics.refresh-interval", value = "200ms")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SagaRecoveryIT {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    ShardedDataSources shards;

    @Inject
    RegistrationService registrations;

    @Inject
    FollowService follows;

    @Inject
    OutboxRelays relays;

    @Inject
    IdGenerator ids;

    @Inject
    MeterRegistry meters;

    UserEventsProbe events;

    @BeforeAll
    void startProbe() {
        events = new UserEventsProbe();
    }

    @AfterAll
    void stopProbe() throws InterruptedException {
        events.close();
    }

    static String unique(String prefix) {
        return prefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
    }

    long register(String username) {
        return Long.parseLong((String) http.toBlocking().retrieve(HttpRequest.POST("/api/v1/users", Map.of(
                "username", username, "email", username + "@example.com", "password", "correct horse battery")),
                Map.class).get("id"));
    }

    @Test
    void aRegistrationThatCrashedAfterItsClaimsIsCompensatedOnRecovery() throws Exception {
        String name = unique("crash").toLowerCase();
        long userId = ids.next(LogicalShards.forUser());
        UUID registration = UUID.randomUUID();
        // the state a process leaves when it dies after claiming both values, before creating the user
        execute(shards.forId(userId), "INSERT INTO registrations (id, user_id, username_key, email_key, state,"
                + " updated_at) VALUES (?, ?, ?, ?, 'STARTED', now() - interval '10 minutes')",
                registration, userId, name, name + "@example.com");
        execute(shards.forKey(name), "INSERT INTO claims (kind, value, user_id, registration_id) VALUES"
                + " ('USERNAME', ?, ?, ?)", name, userId, registration);
        execute(shards.forKey(name + "@example.com"), "INSERT INTO claims (kind, value, user_id, registration_id)"
                + " VALUES ('EMAIL', ?, ?, ?)", name + "@example.com", userId, registration);
        await().atMost(Duration.ofSeconds(10)).until(() -> sagaInstances("registration", "started") >= 1);

        assertTrue(registrations.recoverStalled(Duration.ofMinutes(1)) >= 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> sagaInstances("registration", "started") == 0);

        assertEquals(0, count(shards.forKey(name), "SELECT count(*) FROM claims WHERE value = '" + name + "'"));
        assertEquals("COMPENSATED", single(shards.forId(userId),
                "SELECT state FROM registrations WHERE id = '" + registration + "'"));
        register(name); // the name is free again
    }

    @Test
    void aFollowThatCrashedBetweenItsStepsIsCompletedOnRecovery() throws Exception {
        long a = register(unique("ra"));
        long b = register(unique("rb"));
        // step 1 done (following row + pending saga), step 2 never ran
        execute(shards.forId(a), "INSERT INTO following (follower_id, followee_id, created_at) VALUES (?, ?, now())", a, b);
        execute(shards.forId(a), "UPDATE users SET following_count = following_count + 1 WHERE id = ?", a);
        execute(shards.forId(a), "INSERT INTO follow_sagas (follower_id, followee_id, updated_at)"
                + " VALUES (?, ?, now() - interval '10 minutes')", a, b);
        await().atMost(Duration.ofSeconds(10)).until(() -> sagaInstances("follow", "in_flight") >= 1);

        assertTrue(follows.recoverStalled(Duration.ofMinutes(1)) >= 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> sagaInstances("follow", "in_flight") == 0);

        assertEquals(1, count(shards.forId(b), "SELECT count(*) FROM followers WHERE followee_id = " + b
                + " AND follower_id = " + a));
        assertEquals(0, count(shards.forId(a), "SELECT count(*) FROM follow_sagas WHERE follower_id = " + a));
        Map<String, Object> pair = Map.of("followerId", a, "followeeId", b);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertEquals(1, events.matching("UserFollowed", pair).size(), events.summary()));
    }

    @Test
    void anEventCommittedWhileTheRelayWasDownIsPublishedWhenItComesBack() throws Exception {
        long a = register(unique("pa"));
        long b = register(unique("pb"));
        relays.relays().forEach(OutboxRelay::pause); // stands for: the process died after the commit
        try {
            http.toBlocking().exchange(HttpRequest.PUT("/api/v1/users/me/following/" + b, "")
                    .bearerAuth(token(a)));
            DataSource followeeShard = shards.forId(b);
            assertTrue(Outbox.backlog(followeeShard) > 0, "committed, not yet published");
            await().atMost(Duration.ofSeconds(10)).until(() -> outboxBacklog(shards.physicalNameOf(b)) > 0);
            Map<String, Object> pair = Map.of("followerId", a, "followeeId", b);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> events.matching("UserFollowed", pair).isEmpty());
        } finally {
            relays.relays().forEach(OutboxRelay::resume); // the restarted process's relay
        }
        Map<String, Object> pair = Map.of("followerId", a, "followeeId", b);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertEquals(1, events.matching("UserFollowed", pair).size(), events.summary()));
        for (String shard : shards.all().keySet()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> outboxBacklog(shard) == 0);
        }
    }

    private double sagaInstances(String saga, String state) {
        return meters.get(SagaGauges.SAGA_INSTANCES_METRIC).tag("saga", saga).tag("state", state).gauge().value();
    }

    private double outboxBacklog(String shard) {
        return meters.get(OutboxBacklogGauges.OUTBOX_BACKLOG_METRIC).tag("shard", shard).gauge().value();
    }

    private String token(long userId) {
        String username = (String) http.toBlocking().retrieve(HttpRequest.GET("/api/v1/users/" + userId), Map.class)
                .get("username");
        return (String) http.toBlocking().retrieve(HttpRequest.POST("/api/v1/auth/token",
                Map.of("username", username, "password", "correct horse battery")), Map.class).get("accessToken");
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
        return Integer.parseInt(single(db, sql));
    }

    private static String single(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
