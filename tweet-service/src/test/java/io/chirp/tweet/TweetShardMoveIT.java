package io.chirp.tweet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.chirp.platform.database.move.ShardMover;
import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * The online shard move (docs/adr/0008-online-shard-move.md) of tweet-service under posts and
 * retweets through the HTTP API: tweets, retweets and authors of the moving logical shard go to
 * the other database with no failed request, every acknowledged tweet readable afterwards, the
 * user timelines complete, and the retweet counters (applied once each through the inbox)
 * exact.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
@MicronautTest
class TweetShardMoveIT extends ApiTestSupport {

    @Inject
    ShardedDataSources shards;

    record Call(String what, boolean onMovingShard, long nanos, String failure) {
    }

    @Test
    void aLogicalShardOfTweetsMovesUnderPostsAndRetweetsWithNothingLostOrDuplicated() throws Exception {
        int moving = 1 + ThreadLocalRandom.current().nextInt(4000);
        assertEquals("shard0", shards.map().physicalFor(moving));
        List<TestUser> onShard = List.of(newUserOn(moving, "mv_"), newUserOn(moving, "mv_"), newUserOn(moving, "mv_"));
        List<TestUser> elsewhere = new ArrayList<>();
        while (elsewhere.size() < 3) {
            TestUser user = newUser("el_");
            if (ChirpId.logicalShard(user.id()) != moving) {
                elsewhere.add(user);
            }
        }
        Map<Long, Set<String>> timelines = new ConcurrentHashMap<>(); // author → tweet ids acknowledged
        List<String> onShardTweets = new CopyOnWriteArrayList<>();
        List<String> elsewhereTweets = new CopyOnWriteArrayList<>();
        Map<String, Set<Long>> retweetersOf = new ConcurrentHashMap<>(); // a retweet is once per user and original
        for (TestUser user : onShard) {
            onShardTweets.add(posted(user, timelines));
        }
        for (TestUser user : elsewhere) {
            elsewhereTweets.add(posted(user, timelines));
        }

        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService workload = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            boolean onMoving = t < 2;
            TestUser user = onMoving ? onShard.get(t) : elsewhere.get(t - 2);
            TestUser retweeter = onMoving ? onShard.get(2) : elsewhere.get(2);
            workload.submit(() -> {
                for (int round = 0; !stop.get(); round++) {
                    long start = System.nanoTime();
                    if (round % 4 == 3) {
                        // a retweet by the thread's retweeter of the other side's tweet: touches the moving shard
                        List<String> from = onMoving ? elsewhereTweets : onShardTweets;
                        String original = from.get(ThreadLocalRandom.current().nextInt(from.size()));
                        Response answer = retweet(retweeter, original);
                        record(calls, "retweet", true, start, answer, 201, 200);
                        if (answer.status() == 201 || answer.status() == 200) {
                            retweetersOf.computeIfAbsent(original, k -> ConcurrentHashMap.newKeySet()).add(retweeter.id());
                            timelines.computeIfAbsent(retweeter.id(), k -> ConcurrentHashMap.newKeySet())
                                    .add(answer.json().path("id").asText());
                        }
                        continue;
                    }
                    Response answer = tryPost(user, Map.of("text", "round " + round));
                    record(calls, "post", onMoving, start, answer, 201);
                    if (answer.status() == 201) {
                        String id = answer.json().path("id").asText();
                        timelines.computeIfAbsent(user.id(), k -> ConcurrentHashMap.newKeySet()).add(id);
                        (onMoving ? onShardTweets : elsewhereTweets).add(id);
                    }
                }
                return null;
            });
        }

        ShardMover mover = new ShardMover(new ShardMover.Settings(8, 20, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMillis(500), 500), System.out);
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        ShardMover.Report report = mover.move(service(), moving, "shard1");
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        stop.set(true);
        workload.shutdown();
        assertTrue(workload.awaitTermination(60, TimeUnit.SECONDS));

        assertEquals("shard1", shards.map().physicalFor(moving));
        for (ShardMover.TableReport table : report.tables()) {
            assertEquals(table.sourceChecksum(), table.targetChecksum(), table.toString());
        }
        assertEquals(0, rowsOfShard(0, moving), "rows of the moved shard left on shard0");
        assertTrue(rowsOfShard(1, moving) > 0);

        List<Call> failed = calls.stream().filter(c -> c.failure() != null).toList();
        assertEquals(List.of(), failed.stream().filter(c -> !c.onMovingShard()).toList(), "failures elsewhere");
        assertEquals(List.of(), failed, "failures on the moving shard");
        long onMovingCalls = calls.stream().filter(Call::onMovingShard).count();
        assertTrue(onMovingCalls >= 10 && calls.size() - onMovingCalls >= 10, calls.size() + " requests");

        // every acknowledged tweet is in its author's timeline, once, and nothing else is
        timelines.forEach((author, ids) -> {
            List<String> served = allIds("/api/v1/users/" + author + "/tweets", 100);
            assertEquals(ids, new HashSet<>(served), "timeline of " + author);
            assertEquals(served.size(), new HashSet<>(served).size(), "no tweet twice in " + author + "'s timeline");
        });
        // each retweet counted once (through the inbox of the original's shard, moved or not)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> retweetersOf.forEach((original, retweeters) ->
                assertEquals(retweeters.size(), tweet(original).path("retweetCount").asInt(), "retweets of " + original)));

        long slowestMoving = calls.stream().filter(Call::onMovingShard).mapToLong(Call::nanos).max().orElse(0);
        long slowestElsewhere = calls.stream().filter(c -> !c.onMovingShard()).mapToLong(Call::nanos).max().orElse(0);
        System.out.printf(Locale.ROOT, "SHARD MOVE tweet-service logical %d shard0 -> shard1: fence %.1f ms"
                        + " (drain %.1f ms); %d requests (%d on the moving shard), 0 failed; slowest on the moving"
                        + " shard %.1f ms, elsewhere %.1f ms; %s%n", moving, report.fence().toNanos() / 1e6,
                report.drain().toNanos() / 1e6, calls.size(), onMovingCalls, slowestMoving / 1e6,
                slowestElsewhere / 1e6, report.timings());
        report.tables().forEach(t -> System.out.println("  " + t));

        // and back, so the other test classes sharing these databases see the configured map
        ShardMover.Report back = mover.move(service(), moving, "shard0");
        assertEquals("shard0", shards.map().physicalFor(moving));
        assertEquals(0, rowsOfShard(1, moving));
        System.out.printf(Locale.ROOT, "SHARD MOVE tweet-service back, no load: fence %.1f ms; %s%n",
                back.fence().toNanos() / 1e6, back.timings());
        for (TestUser user : onShard) {
            assertEquals(timelines.get(user.id()), new HashSet<>(allIds("/api/v1/users/" + user.id() + "/tweets", 100)));
        }
    }

    String posted(TestUser user, Map<Long, Set<String>> timelines) {
        String id = post(user, "hello").path("id").asText();
        timelines.computeIfAbsent(user.id(), k -> ConcurrentHashMap.newKeySet()).add(id);
        return id;
    }

    static void record(ConcurrentLinkedQueue<Call> calls, String what, boolean onMoving, long start, Response answer,
                       int... expected) {
        boolean ok = false;
        for (int status : expected) {
            ok |= answer.status() == status;
        }
        calls.add(new Call(what, onMoving, System.nanoTime() - start, ok ? null : answer.status() + " " + answer.body()));
    }

    ShardMover.Service service() {
        SharedEngines engines = SharedEngines.get();
        return new ShardMover.Service("tweet-service", Map.of("shard0", engines.jdbcUrl(0), "shard1", engines.jdbcUrl(1)),
                engines.property("CHIRP_DB_USER"), engines.property("CHIRP_DB_PASSWORD"),
                List.of(URI.create("http://127.0.0.1:" + port)));
    }

    /** Rows of the logical shard in tweets, retweets and authors of one physical database (raw JDBC). */
    long rowsOfShard(int db, int logical) throws Exception {
        SharedEngines engines = SharedEngines.get();
        String password = engines.property("CHIRP_DB_PASSWORD");
        long rows = 0;
        try (Connection c = DriverManager.getConnection(engines.jdbcUrl(db), engines.property("CHIRP_DB_USER"),
                password == null ? "" : password);
             Statement s = c.createStatement()) {
            for (String[] table : List.of(new String[] {"tweets", "id"}, new String[] {"retweets", "user_id"},
                    new String[] {"authors", "user_id"})) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table[0] + " WHERE ((" + table[1]
                        + " >> 10) & 8191) = " + logical)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        return rows;
    }
}
