package io.chirp.load;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Many users like the same few tweets: {@code rate} PUT /api/v1/tweets/{id}/likes/me per second
 * for {@code duration} s, by {@code users} seeded users, on {@code tweets} (default 3) tweets
 * posted in the setup. The same user liking the same tweet twice is expected (likes are
 * idempotent). At the end, for each tweet, GET /api/v1/tweets/{id}/likes must count exactly the
 * distinct users whose PUT answered 204 (polled up to {@code countTimeoutMs}, default 10 000, as
 * counts may converge); request "like count equals likers" fails the run otherwise. A like whose
 * outcome is unknown (a 5xx or no answer: a gateway timeout may still be applied later) may or
 * may not be counted, so with such likes the count must lie between the 204 likers and those plus
 * the unknown ones; the failed requests fail the run anyway.
 */
public class LikeStorm extends Simulation {

    /** tweet id → ids of the users whose like answered 204. */
    private static final Map<String, Set<String>> LIKERS = new ConcurrentHashMap<>();
    /** tweet id → ids of the users whose like had no definite answer (5xx, timeout). */
    private static final Map<String, Set<String>> UNKNOWN = new ConcurrentHashMap<>();

    private final ChirpLoad.Config config = ChirpLoad.config(200, 50);
    private final int countTimeoutMs = config.getInt("countTimeoutMs", 10_000);
    private final List<ChirpLoad.Account> accounts = new ArrayList<>(
            ChirpLoad.login(config, ChirpLoad.sample(ChirpLoad.graph(), config.users())).values());
    private final List<String> tweets = postTargets(config.getInt("tweets", 3));

    private final ScenarioBuilder storm = scenario("like storm")
            .feed(ChirpLoad.accountFeeder(accounts))
            .exec(session -> session.set("likedId", tweets.get(ThreadLocalRandom.current().nextInt(tweets.size()))))
            .exec(http("like").put("/api/v1/tweets/#{likedId}/likes/me")
                    .header("Authorization", "Bearer #{token}")
                    .check(status().saveAs("likeStatus"), status().is(204)))
            .exec(session -> {
                int status = session.contains("likeStatus") ? session.getInt("likeStatus") : 0;
                Map<String, Set<String>> outcome = status == 204 ? LIKERS : status == 0 || status >= 500 ? UNKNOWN : null;
                if (outcome != null) {
                    outcome.computeIfAbsent(session.getString("likedId"), k -> ConcurrentHashMap.newKeySet())
                            .add(session.getString("userId"));
                }
                return session;
            });

    private final ScenarioBuilder count = scenario("like counts")
            .exec(foreach(tweets, "tweetId").on(
                    exec(session -> session.set("since", System.nanoTime()).set("verdict", "not read"))
                            .exec(asLongAs(session -> !"ok".equals(session.getString("verdict"))
                                    && System.nanoTime() - session.getLong("since") < countTimeoutMs * 1_000_000L).on(
                                    exec(http("like count (poll)").get("/api/v1/tweets/#{tweetId}/likes?limit=1")
                                            .check(status().is(200), jsonPath("$.count").ofInt()
                                                    .transformWithSession(LikeStorm::verdict).saveAs("verdict")))
                                            .doIf(session -> !"ok".equals(session.getString("verdict")))
                                            .then(pause(Duration.ofMillis(200)))))
                            .exec(http("like count equals likers").get("/api/v1/tweets/#{tweetId}/likes?limit=1")
                                    .check(status().is(200), jsonPath("$.count").ofInt()
                                            .transformWithSession(LikeStorm::verdict).is("ok")))));

    {
        setUp(storm.injectOpen(constantUsersPerSec(config.rate()).during(config.duration()))
                .andThen(count.injectOpen(atOnceUsers(1))))
                .protocols(ChirpLoad.protocol(config))
                .assertions(ChirpLoad.gate(config,
                        details("like").successfulRequests().count().gt(0L),
                        details("like count equals likers").successfulRequests().count().is((long) tweets.size())));
    }

    @Override
    public void after() {
        tweets.forEach(id -> System.out.printf("tweet %s: %d distinct likers got 204, %d more had no definite answer%n",
                id, likers(LIKERS, id).size(), unknownOnly(id).size()));
    }

    /** "ok" when the counted likes match the likers who got 204 (give or take those with no answer). */
    private static String verdict(Integer count, io.gatling.javaapi.core.Session session) {
        String tweetId = session.getString("tweetId");
        int low = likers(LIKERS, tweetId).size();
        int high = low + unknownOnly(tweetId).size();
        return count >= low && count <= high ? "ok"
                : "count " + count + " but " + (low == high ? low : "between " + low + " and " + high) + " likers";
    }

    private static Set<String> likers(Map<String, Set<String>> outcome, String tweetId) {
        return outcome.getOrDefault(tweetId, Set.of());
    }

    private static Set<String> unknownOnly(String tweetId) {
        Set<String> unknown = new java.util.HashSet<>(likers(UNKNOWN, tweetId));
        unknown.removeAll(likers(LIKERS, tweetId));
        return unknown;
    }

    /** Fresh tweets, so their like counts start at zero. */
    private List<String> postTargets(int count) {
        ChirpLoad.Account author = accounts.get(0);
        return Stream.generate(() -> ChirpLoad.call(config, "POST", "/api/v1/tweets", author.token(),
                        "{\"text\":\"" + ChirpLoad.tweetText("like storm target") + "\"}", 201).get("id").asText())
                .limit(count).toList();
    }
}
