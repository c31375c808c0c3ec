package io.chirp.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.chirp.launcher.LocalCluster;
import io.chirp.platform.events.Topics;

/**
 * The fault-injection suite. One local cluster (real engines, the five services and the gateway
 * as child processes, through the launcher), a steady mixed {@link Workload} through the gateway,
 * and one fault at a time while it runs. After each fault is healed the workload pauses and the
 * {@link Invariants} are awaited; the time from the heal to every invariant holding is the
 * time to converge. During the fault and after it, every answer must be a 2xx (possibly a
 * degraded read) or a 503 with {@code Retry-After}, and none may take longer than the gateway's
 * route timeout. A table of every fault is printed at the end (and written to
 * {@code target/fault-table.md}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    /** Ports shifted by 13000: beside a developer's cluster (0) and the e2e one (12000), below the ephemeral range. */
    private static final int PORT_OFFSET = 13000;
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final Duration CONVERGENCE_LIMIT = Duration.ofSeconds(180);
    private static final List<String> SERVICES = List.of("gateway", "user-service", "tweet-service",
            "timeline-service", "like-service", "search-service");

    /** One line of the table. */
    record Row(String fault, Workload.Window during, Workload.Window after, long convergeMillis,
            Map<String, List<String>> violations) {
    }

    private LocalCluster cluster;
    private Client client;
    private Workload workload;
    private Observed observed;
    private final List<Row> rows = new ArrayList<>();

    @BeforeAll
    void startClusterAndWorkload() {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path home = Path.of("target", "cluster").toAbsolutePath();
        cluster = LocalCluster.withPortOffset(repo, home, PORT_OFFSET, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "fault-cluster-stop"));
        cluster.start();
        Map<String, java.net.URI> services = new LinkedHashMap<>();
        SERVICES.forEach(service -> services.put(service, cluster.serviceUrl(service)));
        observed = new Observed(services, cluster.kafkaBootstrapServers());
        client = new Client(cluster.gatewayUrl());
        workload = new Workload(client);
        workload.setUp();
        workload.start();
    }

    @AfterAll
    void printTableAndStop() throws IOException {
        if (workload != null) {
            workload.close();
        }
        String table = table();
        System.out.println(table);
        Files.writeString(Path.of("target", "fault-table.md"), table);
        if (observed != null) {
            observed.close();
        }
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void noFault() {
        fault("none (steady workload)", () -> Workload.sleep(5_000));
    }

    @Test
    @Order(2)
    void kafkaKilledAndRestarted() {
        fault("kill -9 Kafka, restart after 10 s", () -> {
            cluster.kill("kafka");
            Workload.sleep(10_000);
            cluster.restart("kafka");
        });
    }

    @Test
    @Order(3)
    void userServiceKilledInTheMiddleOfItsSagas() {
        fault("kill -9 user-service mid-saga (registration, follow, deletion), restart", () -> {
            workload.burstOfAccountLives(8);
            Workload.sleep(700);
            cluster.kill("user-service");
            Workload.sleep(3_000);
            cluster.restart("user-service");
        });
    }

    @Test
    @Order(4)
    void likeServiceKilledInTheMiddleOfLikeSagas() {
        fault("kill -9 like-service mid-saga (likes), restart", () -> {
            workload.burstOfAccountLives(8);
            Workload.sleep(1_500);
            cluster.kill("like-service");
            Workload.sleep(3_000);
            cluster.restart("like-service");
        });
    }

    @Test
    @Order(5)
    void redisRestartedEmpty() {
        fault("Redis killed and restarted empty (feeds lost)", () -> {
            cluster.kill("redis");
            Path data = cluster.home().resolve("data/redis");
            deleteTree(data.resolve("appendonlydir"));
            deleteTree(data.resolve("dump.rdb"));
            cluster.restart("redis");
        });
    }

    @Test
    @Order(6)
    void cassandraStopped() {
        fault("Cassandra stopped for 20 s", () -> outage("cassandra"));
    }

    @Test
    @Order(7)
    void elasticsearchStopped() {
        fault("Elasticsearch stopped for 20 s", () -> outage("elasticsearch"));
    }

    @Test
    @Order(8)
    void onePostgresShardStopped() {
        fault("PostgreSQL shard 1 stopped for 20 s", () -> outage("postgres-1"));
    }

    @Test
    @Order(9)
    void poisonMessagesGoToTheDeadLetterTopics() {
        double deadLetteredBefore = observed.deadLettered();
        long deadLetterRecordsBefore = observed.deadLetterRecords();
        // one unreadable record of a type each consumer group reads, on every topic that has a consumer
        Map<String, List<String>> poison = new LinkedHashMap<>();
        poison.put(Topics.USER_EVENTS, List.of("UserRegistered", "UserFollowed"));
        poison.put(Topics.TWEET_EVENTS, List.of("TweetCreated", "TweetDeleted"));
        poison.put(Topics.LIKE_SAGA_COMMANDS, List.of("LikeSagaCommand"));
        poison.put(Topics.LIKE_SAGA_REPLIES, List.of("LikeSagaReply"));
        poison.put(Topics.ACCOUNT_DELETION_REPLIES, List.of("AccountDeletionStepDone"));
        int sent = poison.values().stream().mapToInt(List::size).sum();
        fault(sent + " poison messages on " + poison.size() + " topics", () -> {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrapServers());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                poison.forEach((topic, types) -> types.forEach(type -> {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                            "1".getBytes(StandardCharsets.UTF_8), "{\"eventId\": not json".getBytes(StandardCharsets.UTF_8));
                    record.headers().add("chirp-event-type", type.getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }));
                producer.flush();
            }
        });
        // the invariants above held: no consumer group lags, so none is stuck on them
        assertTrue(observed.deadLetterRecords() - deadLetterRecordsBefore >= sent,
                "each poison message is in a dead-letter topic (at least once: some are read by several groups)");
        assertTrue(observed.deadLettered() > deadLetteredBefore,
                "the dead-lettered records are counted in the services' metrics");
    }

    private void outage(String process) {
        cluster.stop(process);
        Workload.sleep(OUTAGE.toMillis());
        cluster.restart(process);
    }

    /**
     * Runs one fault inside the workload: 5 s steady, the fault (injected and healed by
     * {@code injectAndHeal}), 5 s after it, then the workload pauses and the invariants are
     * awaited. Asserts that no answer during or after the fault was forbidden and that every
     * invariant held within {@link #CONVERGENCE_LIMIT}.
     */
    private void fault(String name, Runnable injectAndHeal) {
        workload.window(name + " · before");
        Workload.sleep(5_000);
        Workload.Window during = workload.window(name);
        injectAndHeal.run();
        long healed = System.nanoTime();
        Workload.Window after = workload.window(name + " · after");
        Workload.sleep(5_000);
        workload.pause();
        // the row's windows end here: what the workload sees once resumed belongs to no fault
        workload.window(name + " · settled");
        Map<String, List<String>> violations;
        Invariants invariants = new Invariants(client, workload, observed);
        long deadline = System.nanoTime() + CONVERGENCE_LIMIT.toNanos();
        while (true) {
            violations = invariants.violations();
            if (violations.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            System.out.println("[faults] " + name + ": not converged yet: " + Invariants.summary(violations));
            Workload.sleep(2_000);
        }
        long convergeMillis = (System.nanoTime() - healed) / 1_000_000;
        workload.resume();
        rows.add(new Row(name, during, after, convergeMillis, violations));
        System.out.println("[faults] " + name + ": " + during.requests + " requests during the fault ("
                + during.errorsByStatus() + "), converged in " + convergeMillis + " ms, " + (violations.isEmpty()
                        ? "every invariant held" : "violations: " + violations));
        List<String> forbidden = new ArrayList<>(during.forbidden);
        forbidden.addAll(after.forbidden);
        assertEquals(List.of(), forbidden, name + ": answers other than 2xx or 503 with Retry-After");
        assertEquals(Map.of(), violations, name + ": invariants not holding after " + CONVERGENCE_LIMIT.toSeconds() + " s");
    }

    private String table() {
        StringBuilder out = new StringBuilder();
        out.append("\n## Fault injection: ").append(Workload.MEMBERS).append(" members, ")
                .append(workload == null ? 0 : workload.tweets().size()).append(" acknowledged tweets, ")
                .append(workload == null ? 0 : workload.likers().values().stream().mapToInt(java.util.Set::size).sum())
                .append(" acknowledged likes, ").append(workload == null ? 0 : workload.transients().size())
                .append(" short-lived accounts; ").append(workload == null ? 0 : workload.dropped())
                .append(" operations not started (queue full)\n\n");
        out.append("| fault | requests during the fault | errors by status during | slowest answer (ms) | forbidden answers (during + 5 s after) | time to converge (s) | invariants held |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.fault()).append(" | ").append(row.during().requests).append(" | ")
                    .append(row.during().errorsByStatus()).append(" | ").append(row.during().maxMillis).append(" | ")
                    .append(row.during().forbiddenCount + row.after().forbiddenCount).append(" | ")
                    .append(String.format("%.1f", row.convergeMillis() / 1000.0)).append(" | ")
                    .append(row.violations().isEmpty() ? "all" : "NO: " + row.violations().keySet()).append(" |\n");
        }
        return out.toString();
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
