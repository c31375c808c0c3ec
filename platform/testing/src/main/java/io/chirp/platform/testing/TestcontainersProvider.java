package io.chirp.platform.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Engines from their official images (the same ones as {@code deploy/docker-compose.yml}),
 * for machines with Docker: {@code -Dchirp.infra=testcontainers}.
 */
final class TestcontainersProvider implements SharedEngines.EngineProvider {

    private final List<GenericContainer<?>> running = Collections.synchronizedList(new ArrayList<>());

    TestcontainersProvider() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("-Dchirp.infra=testcontainers needs a running Docker engine,"
                    + " and none answers. Drop the flag to use the embedded engines.");
        }
    }

    @Override
    public Map<String, String> start(Engine engine) {
        return switch (engine) {
            case POSTGRES -> Map.of(
                    "CHIRP_SHARD0_JDBC_URL", postgresUrl(),
                    "CHIRP_SHARD1_JDBC_URL", postgresUrl(),
                    "CHIRP_DB_USER", "postgres",
                    "CHIRP_DB_PASSWORD", "");
            case POSTGRES_REPLICAS -> throw new UnsupportedOperationException(
                    "streaming replicas are only set up by the embedded provider (drop -Dchirp.infra=testcontainers)");
            case REDIS -> {
                GenericContainer<?> redis = keep(new GenericContainer<>("redis:7.0").withExposedPorts(6379));
                yield Map.of("CHIRP_REDIS_URI", "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
            }
            case KAFKA -> {
                KafkaContainer kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:3.9.1"));
                keep(kafka);
                yield Map.of("CHIRP_KAFKA_BOOTSTRAP", kafka.getBootstrapServers());
            }
            case CASSANDRA -> {
                GenericContainer<?> cassandra = keep(new GenericContainer<>("cassandra:5.0")
                        .withExposedPorts(9042)
                        .withEnv("MAX_HEAP_SIZE", "512M").withEnv("HEAP_NEWSIZE", "128M")
                        .waitingFor(Wait.forLogMessage(".*Starting listening for CQL clients.*", 1)
                                .withStartupTimeout(Duration.ofMinutes(3))));
                yield Map.of("CHIRP_CASSANDRA_CONTACT_POINT",
                        cassandra.getHost() + ":" + cassandra.getMappedPort(9042),
                        "CHIRP_CASSANDRA_DATACENTER", "datacenter1");
            }
            case ELASTICSEARCH -> {
                GenericContainer<?> es = keep(new GenericContainer<>(
                        "docker.elastic.co/elasticsearch/elasticsearch:8.19.5")
                        .withExposedPorts(9200)
                        .withEnv("discovery.type", "single-node")
                        .withEnv("xpack.security.enabled", "false")
                        .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
                        .waitingFor(Wait.forHttp("/_cluster/health?wait_for_status=yellow")
                                .withStartupTimeout(Duration.ofMinutes(3))));
                yield Map.of("CHIRP_ELASTICSEARCH_URL", "http://" + es.getHost() + ":" + es.getMappedPort(9200));
            }
        };
    }

    private String postgresUrl() {
        GenericContainer<?> pg = keep(new GenericContainer<>("postgres:17")
                .withExposedPorts(5432)
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                .withEnv("POSTGRES_DB", "chirp")
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)));
        return "jdbc:postgresql://" + pg.getHost() + ":" + pg.getMappedPort(5432) + "/chirp";
    }

    private <T extends GenericContainer<?>> T keep(T container) {
        container.start();
        running.add(container);
        return container;
    }

    @Override
    public void close() {
        running.forEach(GenericContainer::stop);
    }
}
