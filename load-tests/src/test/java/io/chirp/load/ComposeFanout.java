package io.chirp.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Posting at a fixed {@code rate}/s (seeded users, fanned out to their followers' Redis feeds),
 * plus a probe ({@code probeRate}/s, default 1) that measures fan-out visibility: a seeded author
 * posts, then one of their followers polls their home timeline every {@code pollMs} ms (default 50)
 * until the tweet is there, at most {@code visibilityTimeoutMs} ms (default 5000). The wait is the
 * group "fan-out visibility" in the report; its p50/p95/p99 are also printed at the end (measured
 * from the 201 of the post to the first page that holds the tweet, so within one poll interval
 * plus one read). A probe that never sees its tweet fails the request "fan-out visible" and the run.
 */
public class ComposeFanout extends Simulation {

    private static final Queue<Long> VISIBILITY_MS = new ConcurrentLinkedQueue<>();

    private final ChirpLoad.Config config = ChirpLoad.config(200, 20);
    private final double probeRate = config.getDouble("probeRate", 1);
    private final int pollMs = config.getInt("pollMs", 50);
    private final int timeoutMs = config.getInt("visibilityTimeoutMs", 5000);

    private final ChirpLoad.Graph graph = ChirpLoad.graph();
    private final List<Integer> sample = ChirpLoad.sample(graph, config.users());
    /** Probe pairs: an author of the sample and one of their followers (a graph neighbour). */
    private final List<int[]> pairs = probePairs();
    private final Map<Integer, ChirpLoad.Account> accounts = ChirpLoad.login(config,
            Stream.concat(sample.stream(), pairs.stream().map(p -> p[1])).toList());

    private final ScenarioBuilder posters = scenario("compose")
            .feed(ChirpLoad.accountFeeder(new ArrayList<>(accounts.values())))
            .exec(ChirpLoad.compose("compose"));

    private final ScenarioBuilder probe = scenario("fan-out probe")
            .feed(probeFeeder())
            .exec(http("probe: compose").post("/api/v1/tweets")
                    .header("Authorization", "Bearer #{token}")
                    .body(StringBody("{\"text\":\"#{text}\"}"))
                    .check(status().is(201), jsonPath("$.id").saveAs("tweetId")))
            .exec(session -> session.set("postedAt", System.nanoTime()).set("seen", 0))
            .group("fan-out visibility").on(
                    asLongAs(session -> session.getInt("seen") == 0 && elapsedMs(session) < timeoutMs).on(
                            exec(http("probe: follower home").get("/api/v1/timelines/home?limit=100")
                                    .header("Authorization", "Bearer #{followerToken}")
                                    .check(status().is(200), substring("\"#{tweetId}\"").count().saveAs("seen")))
                                    .doIf(session -> session.getInt("seen") == 0).then(pause(Duration.ofMillis(pollMs)))))
            .exec(session -> {
                if (session.getInt("seen") > 0) {
                    VISIBILITY_MS.add(elapsedMs(session));
                }
                return session;
            })
            // fails (and fails the run) when the tweet never showed up within the timeout
            .exec(http("fan-out visible").get("/api/v1/timelines/home?limit=100")
                    .header("Authorization", "Bearer #{followerToken}")
                    .check(status().is(200), substring("\"#{tweetId}\"").exists()));

    {
        setUp(posters.injectOpen(constantUsersPerSec(config.rate()).during(config.duration())),
                probe.injectOpen(constantUsersPerSec(probeRate).during(config.duration())))
                .protocols(ChirpLoad.protocol(config))
                .assertions(ChirpLoad.gate(config,
                        details("fan-out visible").failedRequests().count().is(0L),
                        details("fan-out visible").successfulRequests().count().gt(0L)));
    }

    @Override
    public void after() {
        System.out.println(ChirpLoad.percentiles("fan-out visibility (post -> follower's home timeline)", VISIBILITY_MS));
    }

    private static long elapsedMs(Session session) {
        return (System.nanoTime() - session.getLong("postedAt")) / 1_000_000;
    }

    private List<int[]> probePairs() {
        List<int[]> result = new ArrayList<>();
        for (int author : sample) {
            graph.neighbours().get(author).stream().findFirst().ifPresent(follower -> result.add(new int[] {author, follower}));
            if (result.size() == 20) {
                break;
            }
        }
        return result;
    }

    private java.util.Iterator<Map<String, Object>> probeFeeder() {
        AtomicLong next = new AtomicLong();
        return Stream.generate(() -> {
            int[] pair = pairs.get((int) (next.getAndIncrement() % pairs.size()));
            Map<String, Object> record = new HashMap<>();
            record.put("token", accounts.get(pair[0]).token());
            record.put("followerToken", accounts.get(pair[1]).token());
            record.put("text", ChirpLoad.tweetText("probe"));
            return record;
        }).iterator();
    }
}
