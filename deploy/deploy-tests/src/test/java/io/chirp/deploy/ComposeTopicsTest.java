package io.chirp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.chirp.platform.events.Topics;

/**
 * The Kafka topics the compose cluster creates (the kafka-init service's {@code TOPICS}, fed to
 * deploy/docker/kafka/create-topics.sh) are exactly {@link Topics#all()} — every event and saga
 * topic and its {@code .dlt} dead-letter topic — with {@link Topics#PARTITIONS} partitions, and
 * every service waits for that step to complete.
 */
class ComposeTopicsTest {

    private final Map<String, Object> services = Repo.map(Repo.composeConfig(false).get("services"));
    private final Map<String, Object> init = Repo.map(services.get("kafka-init"));

    @Test
    void composeCreatesExactlyTheTopicsOfTheEventContracts() {
        Map<String, Object> env = Repo.map(init.get("environment"));
        List<String> created = Arrays.asList(String.valueOf(env.get("TOPICS")).trim().split("\\s+"));
        assertEquals(created.size(), new TreeSet<>(created).size(), "no topic twice: " + created);
        assertEquals(new TreeSet<>(Topics.all()), new TreeSet<>(created));
        assertEquals(String.valueOf(Topics.PARTITIONS), String.valueOf(env.get("PARTITIONS")));
    }

    @Test
    void theInitStepRunsTheScriptThatCreatesThem() {
        String script = Repo.read("deploy/docker/kafka/create-topics.sh");
        assertTrue(script.contains("TOPICS") && script.contains("kafka-topics.sh") && script.contains("--create"));
        assertTrue(Repo.list(init.get("volumes")).stream().map(String::valueOf)
                .anyMatch(v -> v.contains("deploy/docker/kafka/create-topics.sh:/create-topics.sh")), "script mounted");
        assertTrue(String.valueOf(init.get("entrypoint")).contains("/create-topics.sh"));
    }

    @Test
    void everyServiceThatUsesKafkaWaitsForTheTopics() {
        services.forEach((name, value) -> {
            Map<String, Object> service = Repo.map(value);
            if (Repo.map(service.get("environment")).containsKey("CHIRP_KAFKA_BOOTSTRAP")) {
                assertEquals("service_completed_successfully",
                        Repo.map(Repo.map(service.get("depends_on")).get("kafka-init")).get("condition"), name);
            }
        });
    }
}
