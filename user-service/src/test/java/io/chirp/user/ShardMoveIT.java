package io.chirp.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.platform.database.move.ShardMover;
import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * The online shard move (docs/adr/0008-online-shard-move.md) under a write workload through the
 * HTTP API: registrations and follows on the moving logical shard and elsewhere, on two real
 * PostgreSQL shards. Nothing outside the moving shard fails, nothing on it fails either (it
 * waits at most the fence), and afterwards every acknowledged write is readable, the shard's
 * rows are on the target only, and the follower counts match the follow edges.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
@MicronautTest
// a shared 2-core machine: a registration (a password hash) can take seconds under load
@Property(name = "micronaut.http.client.read-timeout", value = "60s")
// any free port: the tool reaches the instance at server.getPort()
@Property(name = "micronaut.server.port", value = "-1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardMoveIT {

    static final String PASSWORD = "correct horse battery";

    @Inject
    @Client("/")
    HttpClient httpClient;

    @Inject
    EmbeddedServer server;

    @Inject
    ShardedDataSources shards;

    /** One request of the workload: whether it touched the moving shard, how long it took, how it ended. */
    record Call(String what, boolean onMovingShard, long nanos, String failure) {
    }

    BlockingHttpClient http() {
        return httpClient.toBlocking();
    }

    @Test
    void aLogicalShardMovesUnderAWriteWorkloadWithNothingLostOrDuplicated() throws Exception {
        // the moving shard: the logical shard of a user registered on shard0, "the star"
        long star = 0;
        while (star == 0) {
            long id = register(unique("st", -1));
            if (shards.physicalNameOf(id).equals("shard0")) {
                star = id;
            }
        }
        int moving = ChirpId.logicalShard(star);
        long starId = star;
        String starToken = token(usernameOf(star));
        // followers and followees, none on the moving shard (registered in parallel: a registration hashes a password)
        List<long[]> pool = Collections.synchronizedList(new ArrayList<>()); // {id}
        Map<Long, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService setUp = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 16; i++) {
            setUp.submit(() -> {
                String name = unique("ot", moving);
                long id = register(name);
                if (ChirpId.logicalShard(id) != moving) {
                    pool.add(new long[] {id});
                    tokens.put(id, token(name));
                }
                return null;
            });
        }
        setUp.shutdown();
        assertTrue(setUp.awaitTermination(300, TimeUnit.SECONDS));
        List<Long> users = pool.stream().map(a -> a[0]).sorted().toList();
        List<Long> followeesElsewhere = users.subList(0, 4);

        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> registered = new ConcurrentLinkedQueue<>(); // "id username"
        // the last acknowledged state of each edge "follower followee"; each follower belongs to one thread
        Map<String, Boolean> edges = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService workload = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            boolean onMoving = t < 2;
            List<Long> followers = new ArrayList<>();
            for (int i = 4 + t; i < users.size(); i += 4) {
                followers.add(users.get(i));
            }
            if (t == 0) {
                followers.add(starId);
            }
            workload.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int round = 0; !stop.get(); round++) {
                    if (round % 8 == 7) {
                        // a registration whose username is claimed on the moving shard, or one elsewhere
                        String name = onMoving ? unique("mv", -2 - moving) : unique("el", moving);
                        Long id = timed(calls, "register", onMoving, () -> register(name));
                        if (id != null) {
                            registered.add(id + " " + name);
                        }
                        continue;
                    }
                    long follower = followers.get(random.nextInt(followers.size()));
                    long followee = follower == starId || !onMoving
                            ? followeesElsewhere.get(random.nextInt(followeesElsewhere.size())) : starId;
                    if (follower == followee) {
                        continue;
                    }
                    String edge = follower + " " + followee;
                    boolean follow = !edges.getOrDefault(edge, false);
                    String token = follower == starId ? starToken : tokens.get(follower);
                    boolean touches = ChirpId.logicalShard(follower) == moving || ChirpId.logicalShard(followee) == moving;
                    Boolean ok = timed(calls, follow ? "follow" : "unfollow", touches, () -> {
                        String uri = "/api/v1/users/me/following/" + followee;
                        assertEquals(HttpStatus.NO_CONTENT, http().exchange((follow ? HttpRequest.PUT(uri, "")
                                : HttpRequest.DELETE(uri)).bearerAuth(token)).getStatus());
                        return true;
                    });
                    if (ok != null) {
                        edges.put(edge, follow);
                    }
                }
                return null;
            });
        }

        await(Duration.ofSeconds(3));
        ShardMover mover = new ShardMover(new ShardMover.Settings(8, 20, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMillis(500), 500), System.out);
        ShardMover.Report report = mover.move(service(), moving, "shard1");
        await(Duration.ofSeconds(2));
        stop.set(true);
        workload.shutdown();
        assertTrue(workload.awaitTermination(60, TimeUnit.SECONDS));

        // the map switched, live and persisted on both databases
        assertEquals("shard1", shards.map().physicalFor(moving));
        for (int db = 0; db < 2; db++) {
            assertEquals("shard1", single(db, "SELECT physical FROM shard_map_overrides WHERE logical = " + moving));
        }
        // checksums equal table by table, nothing of the shard left on the source
        for (ShardMover.TableReport table : report.tables()) {
            assertEquals(table.sourceChecksum(), table.targetChecksum(), table.toString());
        }
        assertEquals(0, rowsOfShard(0, moving), "rows of the moved shard left on shard0");
        assertTrue(rowsOfShard(1, moving) > 0);

        // no failed request, elsewhere or on the moving shard
        List<Call> failed = calls.stream().filter(c -> c.failure() != null).toList();
        assertEquals(List.of(), failed.stream().filter(c -> !c.onMovingShard()).toList(), "failures elsewhere");
        assertEquals(List.of(), failed, "failures on the moving shard");
        long onShard = calls.stream().filter(Call::onMovingShard).count();
        assertTrue(onShard >= 10 && calls.size() - onShard >= 10, "a workload on both sides: " + calls.size()
                + " requests, " + onShard + " on the moving shard");

        // every acknowledged write is readable through the API, once
        for (String entry : registered) {
            String[] parts = entry.split(" ");
            Map<?, ?> byId = http().retrieve(HttpRequest.GET("/api/v1/users/" + parts[0]), Map.class);
            assertEquals(parts[1], byId.get("username"));
            Map<?, ?> byName = http().retrieve(HttpRequest.GET("/api/v1/users/by-username/" + parts[1]), Map.class);
            assertEquals(parts[0], byName.get("id"));
        }
        Set<Long> starFollowers = new HashSet<>();
        Map<Long, Integer> following = new java.util.HashMap<>();
        edges.forEach((edge, present) -> {
            String[] ends = edge.split(" ");
            long follower = Long.parseLong(ends[0]);
            long followee = Long.parseLong(ends[1]);
            following.merge(follower, present ? 1 : 0, Integer::sum);
            if (present && followee == starId) {
                starFollowers.add(follower);
            }
        });
        assertEquals(starFollowers, new HashSet<>(longs(1, "SELECT follower_id FROM followers WHERE followee_id = "
                + starId)), "the star's follower edges, on the target");
        Map<?, ?> starNow = http().retrieve(HttpRequest.GET("/api/v1/users/" + starId), Map.class);
        assertEquals(starFollowers.size(), ((Number) starNow.get("followersCount")).intValue(), "the star's count");
        for (Map.Entry<String, Boolean> edge : edges.entrySet()) {
            String[] ends = edge.getKey().split(" ");
            assertEquals(edge.getValue() ? 1L : 0L, longs(physical(Long.parseLong(ends[0])), "SELECT count(*) FROM"
                    + " following WHERE follower_id = " + ends[0] + " AND followee_id = " + ends[1]).get(0),
                    "following edge " + edge.getKey());
        }
        following.forEach((follower, count) -> assertEquals(count.intValue(), ((Number) http().retrieve(HttpRequest.GET(
                "/api/v1/users/" + follower), Map.class).get("followingCount")).intValue(), "following count of " + follower));

        long slowestMoving = calls.stream().filter(Call::onMovingShard).mapToLong(Call::nanos).max().orElse(0);
        long slowestElsewhere = calls.stream().filter(c -> !c.onMovingShard()).mapToLong(Call::nanos).max().orElse(0);
        System.out.printf(Locale.ROOT, "SHARD MOVE user-service logical %d shard0 -> shard1: fence %.1f ms (drain %.1f ms);"
                        + " %d requests (%d on the moving shard), 0 failed; slowest on the moving shard %.1f ms,"
                        + " elsewhere %.1f ms; %s%n", moving, report.fence().toNanos() / 1e6,
                report.drain().toNanos() / 1e6, calls.size(), onShard, slowestMoving / 1e6, slowestElsewhere / 1e6,
                report.timings());
        report.tables().forEach(t -> System.out.println("  " + t));

        // and back, so the other test classes sharing these databases see the configured map
        ShardMover.Report back = mover.move(service(), moving, "shard0");
        assertEquals("shard0", shards.map().physicalFor(moving));
        assertEquals(0, rowsOfShard(1, moving));
        System.out.printf(Locale.ROOT, "SHARD MOVE back, no load: fence %.1f ms; %s%n", back.fence().toNanos() / 1e6,
                back.timings());
        Map<?, ?> starBack = http().retrieve(HttpRequest.GET("/api/v1/users/" + starId), Map.class);
        assertEquals(starFollowers.size(), ((Number) starBack.get("followersCount")).intValue());
    }

    String usernameOf(long id) {
        return (String) http().retrieve(HttpRequest.GET("/api/v1/users/" + id), Map.class).get("username");
    }

    ShardMover.Service service() {
        SharedEngines engines = SharedEngines.get();
        return new ShardMover.Service("user-service", Map.of("shard0", engines.jdbcUrl(0), "shard1", engines.jdbcUrl(1)),
                engines.property("CHIRP_DB_USER"), engines.property("CHIRP_DB_PASSWORD"),
                List.of(URI.create("http://127.0.0.1:" + server.getPort())));
    }

    /**
     * A unique username: {@code notOn >= 0} keeps its claim off that logical shard; {@code notOn <= -2}
     * puts it on logical shard {@code -2 - notOn}.
     */
    static String unique(String prefix, int notOn) {
        while (true) {
            String name = prefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 10);
            int shard = LogicalShards.forKey(LogicalShards.normalizeKey(name));
            int email = LogicalShards.forKey(LogicalShards.normalizeKey(name + "@example.com"));
            if (notOn <= -2 ? shard == -2 - notOn : shard != notOn && email != notOn) {
                return name;
            }
        }
    }

    long register(String username) {
        return Long.parseLong((String) http().retrieve(HttpRequest.POST("/api/v1/users", Map.of("username", username,
                "email", username + "@example.com", "password", PASSWORD)), Map.class).get("id"));
    }

    String token(String username) {
        return (String) http().retrieve(HttpRequest.POST("/api/v1/auth/token",
                Map.of("username", username, "password", PASSWORD)), Map.class).get("accessToken");
    }

    interface Work<T> {
        T run() throws Exception;
    }

    static <T> T timed(ConcurrentLinkedQueue<Call> calls, String what, boolean onMoving, Work<T> work) {
        long start = System.nanoTime();
        try {
            T result = work.run();
            calls.add(new Call(what, onMoving, System.nanoTime() - start, null));
            return result;
        } catch (Exception | AssertionError e) {
            calls.add(new Call(what, onMoving, System.nanoTime() - start, e.toString()));
            return null;
        }
    }

    /** The workload runs meanwhile; the test thread only waits. */
    static void await(Duration duration) {
        org.awaitility.Awaitility.await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
    }

    int physical(long id) {
        return shards.physicalNameOf(id).equals("shard0") ? 0 : 1;
    }

    /** Rows of the logical shard in the moved tables of one physical database (raw JDBC, no routing). */
    long rowsOfShard(int db, int logical) throws Exception {
        long rows = 0;
        for (String table : List.of("users", "credentials", "registrations", "following", "followers", "follow_sagas",
                "deletions")) {
            String column = switch (table) {
                case "users" -> "id";
                case "following", "follow_sagas" -> "follower_id";
                case "followers" -> "followee_id";
                default -> "user_id";
            };
            rows += longs(db, "SELECT count(*) FROM " + table + " WHERE ((" + column + " >> 10) & 8191) = " + logical)
                    .get(0);
        }
        for (String value : strings(db, "SELECT value FROM claims")) {
            if (LogicalShards.forKey(value) == logical) {
                rows++;
            }
        }
        return rows;
    }

    List<Long> longs(int db, String sql) throws Exception {
        List<Long> values = new ArrayList<>();
        for (String s : strings(db, sql)) {
            values.add(Long.parseLong(s));
        }
        return values;
    }

    String single(int db, String sql) throws Exception {
        List<String> values = strings(db, sql);
        assertEquals(1, values.size(), sql);
        return values.get(0);
    }

    List<String> strings(int db, String sql) throws Exception {
        SharedEngines engines = SharedEngines.get();
        try (Connection c = DriverManager.getConnection(engines.jdbcUrl(db), engines.property("CHIRP_DB_USER"),
                engines.property("CHIRP_DB_PASSWORD") == null ? "" : engines.property("CHIRP_DB_PASSWORD"));
             PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return Collections.unmodifiableList(values);
        }
    }
}
