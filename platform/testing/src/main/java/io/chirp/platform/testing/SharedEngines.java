package io.chirp.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * The engines of one test JVM: started on first demand, shared by every test class after it,
 * stopped (and their data directory deleted) when the JVM exits.
 * <p>
 * Two providers: {@code embedded} (the default; child processes from Maven artifacts via
 * {@code chirp-engines}, so {@code ./mvnw verify} needs only a JDK) and {@code testcontainers}
 * (the official images; chosen with {@code -Dchirp.infra=testcontainers} and refused with a
 * clear error when no Docker engine answers).
 * <p>
 * Where each engine is published: system properties named exactly like the services'
 * environment variables, which the {@code ${CHIRP_…:default}} placeholders of every
 * {@code application.yml} resolve (see {@link #properties()}):
 * {@code CHIRP_SHARD0_JDBC_URL}, {@code CHIRP_SHARD1_JDBC_URL}, {@code CHIRP_DB_USER},
 * {@code CHIRP_DB_PASSWORD}, {@code CHIRP_REDIS_URI}, {@code CHIRP_KAFKA_BOOTSTRAP},
 * {@code CHIRP_CASSANDRA_CONTACT_POINT}, {@code CHIRP_CASSANDRA_DATACENTER},
 * {@code CHIRP_ELASTICSEARCH_URL}. The replicas of {@link Engine#POSTGRES_REPLICAS} are published
 * as {@code CHIRP_TEST_SHARD0_REPLICA_JDBC_URL} and {@code CHIRP_TEST_SHARD1_REPLICA_JDBC_URL},
 * names no application reads: a test class that wants its service to read from them says so
 * ({@code chirp.replicas.urls.shard0}), so the replicas one class started never change how
 * another class's service reads.
 */
public final class SharedEngines {

    private static final SharedEngines INSTANCE = new SharedEngines();

    private final EngineProvider provider;
    private final EnumSet<Engine> started = EnumSet.noneOf(Engine.class);
    private final Map<String, String> properties = Collections.synchronizedMap(new LinkedHashMap<>());

    private SharedEngines() {
        String infra = System.getProperty("chirp.infra", "embedded");
        Path runDir = runDirectory();
        this.provider = switch (infra) {
            case "embedded" -> new EmbeddedProvider(runDir);
            case "testcontainers" -> new TestcontainersProvider();
            default -> throw new IllegalArgumentException(
                    "-Dchirp.infra must be 'embedded' or 'testcontainers', not '" + infra + "'");
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            provider.close();
            deleteQuietly(runDir);
        }, "chirp-engines-stop"));
    }

    public static SharedEngines get() {
        return INSTANCE;
    }

    /**
     * Starts those of {@code engines} not yet running (in parallel) and publishes their
     * addresses. Idempotent; safe to call from every test class.
     */
    public synchronized void require(Set<Engine> engines) {
        if (engines.contains(Engine.POSTGRES_REPLICAS) && !started.contains(Engine.POSTGRES_REPLICAS)) {
            // replicas copy the primaries: those (and the rest) first
            EnumSet<Engine> before = EnumSet.copyOf(engines);
            before.remove(Engine.POSTGRES_REPLICAS);
            before.add(Engine.POSTGRES);
            require(before);
        }
        List<Engine> missing = engines.stream().filter(e -> !started.contains(e)).toList();
        List<CompletableFuture<Map<String, String>>> starts = new ArrayList<>();
        for (Engine engine : missing) {
            starts.add(CompletableFuture.supplyAsync(() -> provider.start(engine)));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        for (CompletableFuture<Map<String, String>> start : starts) {
            Map<String, String> published = start.join();
            properties.putAll(published);
            published.forEach(System::setProperty);
        }
        started.addAll(missing);
    }

    /**
     * Stops a running engine, keeping its address, to test what happens while it is down.
     * Supported for {@link Engine#REDIS} (the embedded provider).
     */
    public synchronized void stop(Engine engine) {
        provider.stop(engine);
    }

    /** Starts again an engine stopped by {@link #stop(Engine)}, on the same address, with no data. */
    public synchronized void restart(Engine engine) {
        provider.restart(engine);
    }

    /**
     * Stops PostgreSQL shard {@code shard} (0 or 1) as a crash would leave it, to test a dead
     * shard; {@link #restartPostgres} brings it back with its data on the same port.
     */
    public synchronized void stopPostgres(int shard) {
        provider.stopPostgres(shard);
    }

    /** Starts a shard stopped by {@link #stopPostgres} again, with its data, on its port. */
    public synchronized void restartPostgres(int shard) {
        provider.restartPostgres(shard);
    }

    /** Every published address so far (see the class comment for the keys). */
    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    /** One published address, failing clearly if its engine was not required. */
    public String property(String key) {
        String value = properties.get(key);
        if (value == null) {
            throw new IllegalStateException(key + " is not published: add its engine to @RealEngines");
        }
        return value;
    }

    public String jdbcUrl(int shard) {
        return property("CHIRP_SHARD" + shard + "_JDBC_URL");
    }

    /** The JDBC URL of shard {@code shard}'s streaming replica ({@link Engine#POSTGRES_REPLICAS}). */
    public String replicaJdbcUrl(int shard) {
        return property("CHIRP_TEST_SHARD" + shard + "_REPLICA_JDBC_URL");
    }

    public String redisUri() {
        return property("CHIRP_REDIS_URI");
    }

    public String kafkaBootstrap() {
        return property("CHIRP_KAFKA_BOOTSTRAP");
    }

    public String cassandraContactPoint() {
        return property("CHIRP_CASSANDRA_CONTACT_POINT");
    }

    public String cassandraDatacenter() {
        return property("CHIRP_CASSANDRA_DATACENTER");
    }

    public String elasticsearchUrl() {
        return property("CHIRP_ELASTICSEARCH_URL");
    }

    private static Path runDirectory() {
        Path base = Path.of(System.getProperty("chirp.engines.dir", System.getProperty("java.io.tmpdir")));
        return base.resolve("run-" + ProcessHandle.current().pid()).toAbsolutePath();
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: target/ is cleaned by the next build anyway
        }
    }

    /** Where engines come from. */
    interface EngineProvider extends AutoCloseable {

        /** Starts {@code engine} and returns the properties to publish. */
        Map<String, String> start(Engine engine);

        /** Stops a started engine, keeping its port. */
        default void stop(Engine engine) {
            throw new UnsupportedOperationException("stopping " + engine + " is not supported here");
        }

        /** Starts a stopped engine again on its port. */
        default void restart(Engine engine) {
            throw new UnsupportedOperationException("restarting " + engine + " is not supported here");
        }

        /** Stops one PostgreSQL shard. */
        default void stopPostgres(int shard) {
            throw new UnsupportedOperationException("stopping a PostgreSQL shard is not supported here");
        }

        /** Starts a stopped PostgreSQL shard again. */
        default void restartPostgres(int shard) {
            throw new UnsupportedOperationException("restarting a PostgreSQL shard is not supported here");
        }

        @Override
        void close();
    }
}
