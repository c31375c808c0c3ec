package io.chirp.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * DeathStarBench's social-network mix on the seeded Reed98 graph: 60 % home timeline, 30 % user
 * timeline, 10 % compose, at {@code rate} requests/s (open workload: one request per arriving
 * user) for {@code duration} s, acting as {@code users} seeded users logged in up front.
 */
public class SocialNetworkMix extends Simulation {

    private final ChirpLoad.Config config = ChirpLoad.config(200, 100);
    private final List<ChirpLoad.Account> accounts = new ArrayList<>(
            ChirpLoad.login(config, ChirpLoad.sample(ChirpLoad.graph(), config.users())).values());

    private final ScenarioBuilder mix = scenario("social network mix")
            .feed(ChirpLoad.accountFeeder(accounts))
            .exec(randomSwitch().on(
                    percent(60.0).then(ChirpLoad.homeTimeline("home timeline")),
                    percent(30.0).then(ChirpLoad.userTimeline("user timeline")),
                    percent(10.0).then(ChirpLoad.compose("compose"))));

    {
        setUp(mix.injectOpen(constantUsersPerSec(config.rate()).during(config.duration())))
                .protocols(ChirpLoad.protocol(config))
                .assertions(ChirpLoad.gate(config));
    }
}
