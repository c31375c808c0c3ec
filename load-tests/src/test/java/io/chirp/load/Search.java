package io.chirp.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Search while tweets are being posted: {@code rate} searches/s (70 % GET /api/v1/search/tweets
 * with words, #tags, @mentions and "phrases"; 15 % GET /api/v1/search/users by prefix; 15 % GET
 * /api/v1/trends over 1h or 24h) for {@code duration} s, while seeded users post
 * {@code postRate} tweets/s (default 5), which search-service indexes from Kafka.
 */
public class Search extends Simulation {

    private static final String[] QUERIES = {"distributed", "caches", "timelines", "coffee exams", "#reed", "#chirp",
        "#kafka", "#sharding", "\"fan out\"", "\"distributed systems\"", "music", "followers"};

    private final ChirpLoad.Config config = ChirpLoad.config(100, 50);
    private final double postRate = config.getDouble("postRate", 5);
    private final List<ChirpLoad.Account> accounts = new ArrayList<>(
            ChirpLoad.login(config, ChirpLoad.sample(ChirpLoad.graph(), config.users())).values());

    private final ScenarioBuilder searches = scenario("search")
            .feed(queryFeeder())
            .exec(randomSwitch().on(
                    percent(70.0).then(http("search tweets").get("/api/v1/search/tweets")
                            .queryParam("q", "#{q}")
                            .check(status().is(200), jsonPath("$.items").exists())),
                    percent(15.0).then(http("search users").get("/api/v1/search/users")
                            .queryParam("q", "#{userPrefix}")
                            .check(status().is(200), jsonPath("$.items").exists())),
                    percent(15.0).then(http("trends").get("/api/v1/trends")
                            .queryParam("window", "#{window}")
                            .check(status().is(200), jsonPath("$.items").exists()))));

    private final ScenarioBuilder posts = scenario("post while searching")
            .feed(ChirpLoad.accountFeeder(accounts))
            .exec(ChirpLoad.compose("compose"));

    {
        setUp(searches.injectOpen(constantUsersPerSec(config.rate()).during(config.duration())),
                posts.injectOpen(constantUsersPerSec(postRate).during(config.duration())))
                .protocols(ChirpLoad.protocol(config))
                .assertions(ChirpLoad.gate(config, details("search tweets").successfulRequests().count().gt(0L)));
    }

    private java.util.Iterator<Map<String, Object>> queryFeeder() {
        return Stream.generate(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            ChirpLoad.Account someone = accounts.get(random.nextInt(accounts.size()));
            Map<String, Object> record = new HashMap<>();
            record.put("q", random.nextInt(5) == 0 ? "@" + someone.username() : QUERIES[random.nextInt(QUERIES.length)]);
            // user_1, user_12, … : a prefix of a seeded username
            record.put("userPrefix", someone.username().substring(0, Math.min(someone.username().length(), 6 + random.nextInt(2))));
            record.put("window", random.nextInt(4) == 0 ? "24h" : "1h");
            return record;
        }).iterator();
    }
}
