package io.chirp.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-heavy open workload: home timeline reads arriving at {@code rate}/s for {@code duration} s,
 * as {@code users} seeded users logged in up front.
 */
public class HomeTimelineRead extends Simulation {

    private final ChirpLoad.Config config = ChirpLoad.config(200, 200);
    private final List<ChirpLoad.Account> accounts = new ArrayList<>(
            ChirpLoad.login(config, ChirpLoad.sample(ChirpLoad.graph(), config.users())).values());

    private final ScenarioBuilder reads = scenario("home timeline reads")
            .feed(ChirpLoad.accountFeeder(accounts))
            .exec(ChirpLoad.homeTimeline("home timeline"));

    {
        setUp(reads.injectOpen(constantUsersPerSec(config.rate()).during(config.duration())))
                .protocols(ChirpLoad.protocol(config))
                .assertions(ChirpLoad.gate(config));
    }
}
