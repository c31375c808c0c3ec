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
 * Where each engine is published, as system properties (the lower-case, dotted form of the
 * services' environment variables, which Micronaut resolves for {@code ${CHIRP_…}}
 * placeholders; see {@link #properties()}):
 * {@code chirp.shard0.jdbc.url}, {@code chirp.shard1.jdbc.url}, {@code chirp.db.user},
 * {@code chirp.db.password}, {@code chirp.redis.uri}, {@code chirp.kafka.bootstrap},
 * {@code chirp.cassandra.contact.point}, {@code chirp.cassandra.datacenter},
 * {@code chirp.elasticsearch.url}.
 */
public final class SharedEngines {

    private static final SharedEngines INSTANCE = new SharedEngines();

    private final EngineProvider provider;
    private final EnumSet<Engine> started = EnumSet.noneOf(Engine.class);
    private final Map<String, String> properties = Collections.synchronizedMap(new LinkedHashMap<>());

    private SharedEngines() {
        String infra = System.getProperty("chirp.infra", "embedded");
        this.provider = switch (infra) {
            case "embedded" -> new EmbeddedProvider(runDirectory());
            case "testcontainers" -> new TestcontainersProvider();
            default -> throw new IllegalArgumentException(
                    "-Dchirp.infra must be 'embedded' or 'testcontainers', not '" + infra + "'");
        };
        Runtime.getRuntime().addShutdownHook(new Thread(provider::close, "chirp-engines-stop"));
    }

    public static SharedEngines get() {
        return INSTANCE;
    }

    /**
     * Starts those of {@code engines} not yet running (in parallel) and publishes their
     * addresses. Idempotent; safe to call from every test class.
     */
    public synchronized void require(Set<Engine> engines) {
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
        return property("chirp.shard" + shard + ".jdbc.url");
    }

    public String redisUri() {
        return property("chirp.redis.uri");
    }

    public String kafkaBootstrap() {
        return property("chirp.kafka.bootstrap");
    }

    public String cassandraContactPoint() {
        return property("chirp.cassandra.contact.point");
    }

    public String cassandraDatacenter() {
        return property("chirp.cassandra.datacenter");
    }

    public String elasticsearchUrl() {
        return property("chirp.elasticsearch.url");
    }

    private static Path runDirectory() {
        Path base = Path.of(System.getProperty("chirp.engines.dir", System.getProperty("java.io.tmpdir")));
        Path dir = base.resolve("run-" + ProcessHandle.current().pid()).toAbsolutePath();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "chirp-engines-clean"));
        return dir;
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

        @Override
        void close();
    }
}
