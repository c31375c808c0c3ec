package io.chirp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * deploy/docker-compose.yml is valid as Docker Compose reads it: {@code docker-compose -f
 * deploy/docker-compose.yml config -q} exits 0, with and without the observability profile.
 * Fails when docker-compose is not installed (Debian's package; .ci/run installs it), because a
 * check that silently skips keeps nothing true.
 */
class ComposeConfigTest {

    @Test
    void composeFileValidates() {
        Repo.Result result = Repo.run(List.of("docker-compose", "-f", Repo.COMPOSE.toString(), "config", "-q"));
        assertEquals(0, result.exit(), result.output());
    }

    @Test
    void composeFileValidatesWithTheObservabilityProfile() {
        Repo.Result result = Repo.run(List.of("docker-compose", "-f", Repo.COMPOSE.toString(),
                "--profile", "observability", "config", "-q"));
        assertEquals(0, result.exit(), result.output());
    }

    @Test
    void observabilityProfileHoldsPrometheusGrafanaAndJaegerOnly() {
        var services = Repo.map(Repo.composeConfig(true).get("services"));
        var profiled = new java.util.TreeSet<String>();
        services.forEach((name, service) -> {
            if (!Repo.list(Repo.map(service).get("profiles")).isEmpty()) {
                assertEquals(List.of("observability"), Repo.list(Repo.map(service).get("profiles")), name);
                profiled.add(name);
            }
        });
        assertEquals(new java.util.TreeSet<>(List.of("grafana", "jaeger", "prometheus")), profiled,
                "plain `docker compose up` runs the cluster; the profile adds the three tools");
    }
}
