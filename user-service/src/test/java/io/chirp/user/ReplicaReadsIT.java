package io.chirp.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;

import io.chirp.platform.database.ReadYourWrites;
import io.chirp.platform.sharding.Replica;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;

/**
 * Reads from streaming replicas through the service's API: profiles and follower listings come
 * from the replica while it is in rotation; a caller reads their own write even while the
 * replica lags; a replica too far behind leaves rotation; a stopped replica changes nothing an
 * API caller sees. The replica's lag is made real by pausing its WAL replay
 * ({@code pg_wal_replay_pause()}), so the tests do not race it. A writer's reads go back to the
 * replica once it has replayed past their write's WAL position, long before their pin expires.
 */
@RealEngines({Engine.POSTGRES, Engine.POSTGRES_REPLICAS, Engine.KAFKA, Engine.REDIS})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaReadsIT implements TestPropertyProvider {

    /** Long enough that a paused replica is stale for a while before it leaves rotation. */
    private static final Duration MAX_LAG = Duration.ofSeconds(4);
    private static final Duration READ_YOUR_WRITES_WINDOW = Duration.ofSeconds(90);

    @Inject
    @Client("/")
    HttpClient httpClient;

    @Inject
    ShardedDataSources shards;

    @Override
    public Map<String, String> getProperties() {
        SharedEngines engines = SharedEngines.get();
        return Map.of(
                "chirp.replicas.urls.shard0", engines.replicaJdbcUrl(0),
                "chirp.replicas.urls.shard1", engines.replicaJdbcUrl(1),
                "chirp.replicas.max-lag", MAX_LAG.toMillis() + "ms",
                // far longer than any test here waits: a writer back on a replica got there by position, not by expiry
                "chirp.replicas.read-your-writes-window", READ_YOUR_WRITES_WINDOW.toSeconds() + "s",
                // profiles uncached, so their reads reach the store (a cache fills from the primary only)
                "chirp.profile-cache.enabled", "false");
    }

    private BlockingHttpClient http() {
        return httpClient.toBlocking();
    }

    @Test
    @Order(1)
    void profilesAndFollowerListingsAreReadFromTheReplicaWhileItIsInRotation() {
        awaitReplicasInRotation();
        String alice = register("rr_a");
        String bob = register("rr_b");
        String bobToken = token(bob);
        http().exchange(withToken(HttpRequest.PUT("/api/v1/users/me/following/" + id(alice), ""), bobToken));

        long before = shards.readCounts().toReplica();
        // another caller's read may come before the replica has replayed the registration (404)
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            assertEquals(1, ((Number) profile(id(alice), null).get("followersCount")).intValue());
            List<?> followers = (List<?>) http().retrieve(HttpRequest.GET("/api/v1/users/" + id(alice) + "/followers"),
                    Map.class).get("items");
            assertEquals(1, followers.size());
        });
        assertTrue(shards.readCounts().toReplica() >= before + 2,
                "the profile and the listing were read on a replica: " + (shards.readCounts().toReplica() - before));
    }

    @Test
    @Order(2)
    void aCallerReadsTheirOwnWriteWhileOthersSeeTheLaggingReplicaUntilItLeavesRotation() throws Exception {
        awaitReplicasInRotation();
        String carol = registerSeenByReplica("rr_c");
        String carolToken = token(carol);
        int shard = shardOf(carol);

        replay(shard, false);
        try {
            http().exchange(withToken(HttpRequest.PATCH("/api/v1/users/me", Map.of("bio", "after the pause")), carolToken));

            assertEquals("after the pause", profile(id(carol), carolToken).get("bio"), "the writer reads their own write");
            assertEquals("", profile(id(carol), null).get("bio"),
                    "another caller is served by the replica, which has not replayed the write");
            assertEquals("after the pause", http().retrieve(HttpRequest.GET("/api/v1/users/" + id(carol))
                            .header(ReadYourWrites.READ_PRIMARY_HEADER, "true"), Map.class).get("bio"),
                    "a read-model builder asking for the primaries gets them");

            Replica replica = shards.replicas().get("shard" + shard);
            await().atMost(MAX_LAG.multipliedBy(3)).until(() -> !replica.inRotation());
            assertTrue(replica.lagSeconds() > MAX_LAG.toSeconds() || Double.isNaN(replica.lagSeconds()));
            assertEquals("after the pause", profile(id(carol), null).get("bio"),
                    "a replica too far behind is out of rotation: everyone reads the primary");
        } finally {
            replay(shard, true);
        }
        awaitReplicasInRotation();
        assertEquals("after the pause", profile(id(carol), null).get("bio"));
    }

    @Test
    @Order(3)
    void stoppingTheReplicasChangesNothingACallerSees() {
        awaitReplicasInRotation();
        List<String> users = List.of(register("rr_d"), register("rr_e"), register("rr_f"), register("rr_g"));
        await().atMost(Duration.ofSeconds(10)).until(() -> users.stream().allMatch(u -> profile(id(u), null) != null));

        SharedEngines.get().stop(Engine.POSTGRES_REPLICAS);
        try {
            long primaryReads = shards.readCounts().toPrimary();
            for (int round = 0; round < 20; round++) {
                for (String user : users) {
                    Map<?, ?> profile = profile(id(user), null);
                    assertEquals(username(user), profile.get("username"), "every read answered, with the right user");
                }
            }
            assertTrue(shards.readCounts().toPrimary() >= primaryReads + 80, "the reads fell back to the primaries");
            assertFalse(shards.replicas().values().stream().anyMatch(Replica::inRotation), "both out of rotation");
        } finally {
            SharedEngines.get().restart(Engine.POSTGRES_REPLICAS);
        }
        awaitReplicasInRotation();
        long replicaReads = shards.readCounts().toReplica();
        assertEquals(username(users.get(0)), profile(id(users.get(0)), null).get("username"));
        assertTrue(shards.readCounts().toReplica() > replicaReads, "back in rotation after the restart");
    }

    @Test
    @Order(4)
    void aWriterReadsTheReplicaAgainOnceItHasReplayedPastTheirWrite() throws Exception {
        awaitReplicasInRotation();
        String dave = registerSeenByReplica("rr_h");
        String daveToken = token(dave);
        int shard = shardOf(dave);

        long start = System.nanoTime();
        replay(shard, false);
        try {
            http().exchange(withToken(HttpRequest.PATCH("/api/v1/users/me", Map.of("bio", "read by position")), daveToken));
            long replicaReads = shards.readCounts().toReplica();
            assertEquals("read by position", profile(id(dave), daveToken).get("bio"), "the writer reads their own write");
            assertEquals(replicaReads, shards.readCounts().toReplica(), "from the primary: the replica has not replayed it");
        } finally {
            replay(shard, true);
        }
        // the pin lasts READ_YOUR_WRITES_WINDOW; the writer is back on the replica as soon as it replayed the write
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long before = shards.readCounts().toReplica();
            return "read by position".equals(profile(id(dave), daveToken).get("bio"))
                    && shards.readCounts().toReplica() > before;
        });
        Duration back = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(back.compareTo(READ_YOUR_WRITES_WINDOW) < 0, "back on the replica after " + back.toMillis() + " ms");
        System.out.println("[replica-reads] the writer read the replica again " + back.toMillis()
                + " ms after the write (replay paused meanwhile), inside a pin of " + READ_YOUR_WRITES_WINDOW.toSeconds() + " s");
    }

    /** Registers a user and waits until an anonymous read (the replica's) finds them. */
    private String registerSeenByReplica(String prefix) {
        String user = register(prefix);
        await().atMost(Duration.ofSeconds(10)).until(() -> profile(id(user), null) != null);
        return user;
    }

    /** The physical shard (0 or 1) holding {@code user}. */
    private int shardOf(String user) {
        return shards.physicalNameOf(Long.parseLong(id(user))).equals("shard0") ? 0 : 1;
    }

    private void awaitReplicasInRotation() {
        await().atMost(Duration.ofSeconds(30)).until(() -> shards.replicas().size() == 2
                && shards.replicas().values().stream().allMatch(Replica::inRotation));
    }

    private static void replay(int shard, boolean resume) throws Exception {
        try (Connection c = DriverManager.getConnection(SharedEngines.get().replicaJdbcUrl(shard), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(resume ? "SELECT pg_wal_replay_resume()" : "SELECT pg_wal_replay_pause()");
        }
    }

    /** Registers a user; returns {@code "<username> <id>"}. */
    private String register(String prefix) {
        String username = prefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
        Map<?, ?> user = http().retrieve(HttpRequest.POST("/api/v1/users", Map.of("username", username,
                "email", username + "@example.com", "password", "correct horse battery")), Map.class);
        return username + " " + user.get("id");
    }

    private static String username(String user) {
        return user.substring(0, user.indexOf(' '));
    }

    private static String id(String user) {
        return user.substring(user.indexOf(' ') + 1);
    }

    private String token(String user) {
        Map<?, ?> body = http().retrieve(HttpRequest.POST("/api/v1/auth/token",
                Map.of("username", user.substring(0, user.indexOf(' ')), "password", "correct horse battery")), Map.class);
        return (String) body.get("accessToken");
    }

    private Map<?, ?> profile(String id, String token) {
        MutableHttpRequest<Object> request = HttpRequest.GET("/api/v1/users/" + id);
        if (token != null) {
            request.bearerAuth(token);
        }
        try {
            return http().retrieve(request, Map.class);
        } catch (io.micronaut.http.client.exceptions.HttpClientResponseException notYet) {
            if (notYet.getStatus().getCode() == 404) {
                return null;
            }
            throw notYet;
        }
    }

    private static <T> MutableHttpRequest<T> withToken(MutableHttpRequest<T> request, String token) {
        return request.bearerAuth(token);
    }
}
