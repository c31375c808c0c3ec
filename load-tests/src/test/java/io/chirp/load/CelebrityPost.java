package io.chirp.load;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A celebrity posts ({@code postRate}/s, default 2) while {@code users} of their followers read
 * their home timelines at {@code rate}/s: the read-time merge of celebrity posts under load.
 * <p>
 * A celebrity is an author with at least {@code chirp.timeline.celebrity-threshold} followers
 * (timeline-service's application.yml: {@code ${CHIRP_CELEBRITY_THRESHOLD:10000}}); pass the
 * cluster's value as {@code -DcelebrityThreshold}. Reed98's best-connected student has 313
 * followers, far below the default 10 000, and the graph has only 962 users, so with the default
 * nobody can be one: start the cluster with a lower threshold, e.g.
 * {@code CHIRP_CELEBRITY_THRESHOLD=500 ./chirp up}, and run with {@code -DcelebrityThreshold=500}.
 * <p>
 * Setup (before the injection): if a seeded user has at least the threshold of followers, the
 * best-connected one is the celebrity; else the simulation registers {@code celeb_<threshold>}
 * and has the {@code threshold} best-connected seeded users follow it (idempotent: a re-run
 * reuses the account and its followers), then waits until user-service counts them.
 * <p>
 * At the end it checks that the merge happened: a last celebrity post shows up in a follower's
 * home timeline ("celebrity post visible"), and timeline-service's
 * {@code chirp_timeline_celebrity_merges_total} (its /prometheus at {@code timelineUrl}, default the
 * gateway's port + 3) grew during the run ("celebrity merges counted").
 */
public class CelebrityPost extends Simulation {

    private static final Pattern MERGES = Pattern.compile("(?m)^chirp_timeline_celebrity_merges_total(?:\\{[^}]*})? ([0-9.Ee+]+)");

    private final ChirpLoad.Config config = ChirpLoad.config(100, 50);
    private final int threshold = config.getInt("celebrityThreshold", 10000);
    private final double postRate = config.getDouble("postRate", 2);
    private final String timelineUrl = config.get("timelineUrl", defaultTimelineUrl(config.baseUrl()));
    private final ChirpLoad.Graph graph = ChirpLoad.graph();
    private final List<Integer> followerNodes = new ArrayList<>();
    private final ChirpLoad.Account celebrity = celebrity();
    private final List<ChirpLoad.Account> readers = new ArrayList<>(ChirpLoad.login(config,
            followerNodes.subList(0, Math.min(config.users(), followerNodes.size()))).values());
    private final double mergesBefore = merges();

    private final ScenarioBuilder reads = scenario("followers read")
            .feed(ChirpLoad.accountFeeder(readers))
            .exec(ChirpLoad.homeTimeline("home timeline (follower of a celebrity)"));

    private final ScenarioBuilder posts = scenario("celebrity posts")
            .feed(celebrityFeeder())
            .exec(ChirpLoad.compose("celebrity compose"));

    private final ScenarioBuilder checks = scenario("celebrity checks")
            .feed(celebrityFeeder())
            .exec(ChirpLoad.compose("celebrity compose (final)"))
            .exec(session -> session.set("seen", 0).set("since", System.nanoTime()).set("token", readers.get(0).token()))
            .exec(asLongAs(session -> session.getInt("seen") == 0
                    && System.nanoTime() - session.getLong("since") < 5_000_000_000L).on(
                    exec(http("home timeline (poll)").get("/api/v1/timelines/home")
                            .header("Authorization", "Bearer #{token}")
                            .check(status().is(200), substring("\"#{tweetId}\"").count().saveAs("seen")))
                            .doIf(session -> session.getInt("seen") == 0).then(pause(Duration.ofMillis(100)))))
            .exec(http("celebrity post visible").get("/api/v1/timelines/home")
                    .header("Authorization", "Bearer #{token}")
                    .check(status().is(200), substring("\"#{tweetId}\"").exists()))
            .exec(http("celebrity merges counted").get(timelineUrl + "/prometheus")
                    .header("Accept", "text/plain") // the protocol asks for JSON; /prometheus answers 406 to that
                    .check(status().is(200), regex(MERGES.pattern()).transform(Double::parseDouble).gt(mergesBefore)));

    {
        setUp(reads.injectOpen(constantUsersPerSec(config.rate()).during(config.duration())),
                posts.injectOpen(constantUsersPerSec(postRate).during(config.duration()))
                        .andThen(checks.injectOpen(atOnceUsers(1))))
                .protocols(ChirpLoad.protocol(config))
                .assertions(ChirpLoad.gate(config,
                        details("celebrity post visible").successfulRequests().count().is(1L),
                        details("celebrity merges counted").successfulRequests().count().is(1L)));
    }

    private ChirpLoad.Account celebrity() {
        Optional<Integer> seeded = graph.byDegree().stream().filter(n -> graph.degree(n) >= threshold).findFirst();
        if (seeded.isPresent()) {
            int node = seeded.get();
            followerNodes.addAll(graph.neighbours().get(node));
            System.out.printf("celebrity: seeded user_%d with %d followers (threshold %d)%n", node, graph.degree(node), threshold);
            return ChirpLoad.login(config, List.of(node)).get(node);
        }
        if (threshold > graph.nodes().size()) {
            throw new IllegalStateException("no seeded user has " + threshold + " followers and the graph has only "
                    + graph.nodes().size() + " users to make one: start the cluster with a lower threshold, e.g. "
                    + "CHIRP_CELEBRITY_THRESHOLD=500 ./chirp up, and pass -DcelebrityThreshold=500");
        }
        String username = "celeb_" + threshold;
        ChirpLoad.call(config, "POST", "/api/v1/users", null, "{\"username\":\"" + username + "\",\"email\":\"" + username
                + "@load.chirp\",\"password\":\"" + ChirpLoad.PASSWORD + "\",\"displayName\":\"Celebrity\"}", 201, 409);
        ChirpLoad.Account account = ChirpLoad.login(config, username, ChirpLoad.PASSWORD, -1);
        followerNodes.addAll(graph.byDegree().subList(0, threshold));
        if (followers(account) < threshold) {
            long start = System.nanoTime();
            Map<Integer, ChirpLoad.Account> fans = ChirpLoad.login(config, followerNodes);
            fans.values().parallelStream().forEach(fan -> ChirpLoad.call(config, "PUT",
                    "/api/v1/users/me/following/" + account.id(), fan.token(), null, 204));
            // counts are eventually consistent: wait until user-service has them all
            while (followers(account) < threshold) {
                if (System.nanoTime() - start > 120_000_000_000L) {
                    throw new IllegalStateException(username + " has " + followers(account) + " followers, not " + threshold);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            System.out.printf("celebrity: %d seeded users followed %s in %.1f s%n", threshold, username,
                    (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("celebrity: %s (id %s) with %d followers (threshold %d)%n", username, account.id(),
                followers(account), threshold);
        return account;
    }

    private int followers(ChirpLoad.Account account) {
        return ChirpLoad.call(config, "GET", "/api/v1/users/" + account.id(), null, null, 200).get("followersCount").asInt();
    }

    /** The merges counted so far (0 before the first home read registers the counter). */
    private double merges() {
        Matcher m = MERGES.matcher(ChirpLoad.text(config, timelineUrl + "/prometheus"));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private java.util.Iterator<Map<String, Object>> celebrityFeeder() {
        return Stream.generate(() -> {
            Map<String, Object> record = new HashMap<>();
            record.put("token", celebrity.token());
            record.put("text", ChirpLoad.tweetText("from a celebrity"));
            return record;
        }).iterator();
    }

    private static String defaultTimelineUrl(String baseUrl) {
        URI uri = URI.create(baseUrl);
        return uri.getScheme() + "://" + uri.getHost() + ":" + ((uri.getPort() < 0 ? 80 : uri.getPort()) + 3);
    }
}
