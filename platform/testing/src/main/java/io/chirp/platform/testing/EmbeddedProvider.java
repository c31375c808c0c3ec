package io.chirp.platform.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.chirp.engines.CassandraEngine;
import io.chirp.engines.ElasticsearchEngine;
import io.chirp.engines.KafkaEngine;
import io.chirp.engines.Ports;
import io.chirp.engines.PostgresEngine;
import io.chirp.engines.ProcessRegistry;
import io.chirp.engines.RedisEngine;
import io.chirp.engines.RunningEngine;
import io.chirp.engines.Watchdog;

/** Engines as child processes on free loopback ports, under the test JVM's run directory. */
final class EmbeddedProvider implements SharedEngines.EngineProvider {

    private final Path dir;
    private final ProcessRegistry registry;
    private final List<RunningEngine> running = Collections.synchronizedList(new ArrayList<>());
    private RedisEngine redis;

    EmbeddedProvider(Path dir) {
        this.dir = dir;
        this.registry = new ProcessRegistry(dir.resolve("run"));
        // a test JVM killed by a timeout must not leave engines behind
        Watchdog.guard(dir.resolve("run"));
    }

    @Override
    public Map<String, String> start(Engine engine) {
        return switch (engine) {
            case POSTGRES -> {
                PostgresEngine shard0 = keep(PostgresEngine.start("postgres-0", dir.resolve("postgres-0"),
                        Ports.freePort(), registry));
                PostgresEngine shard1 = keep(PostgresEngine.start("postgres-1", dir.resolve("postgres-1"),
                        Ports.freePort(), registry));
                yield Map.of("CHIRP_SHARD0_JDBC_URL", shard0.endpoint(),
                        "CHIRP_SHARD1_JDBC_URL", shard1.endpoint(),
                        "CHIRP_DB_USER", PostgresEngine.USER,
                        "CHIRP_DB_PASSWORD", "");
            }
            case REDIS -> {
                redis = keep(RedisEngine.start(dir.resolve("redis"), Ports.freePort(), false, registry));
                yield Map.of("CHIRP_REDIS_URI", redis.endpoint());
            }
            case KAFKA -> Map.of("CHIRP_KAFKA_BOOTSTRAP",
                    keep(KafkaEngine.start(dir.resolve("kafka"), Ports.freePort(), Ports.freePort(), registry))
                            .endpoint());
            case CASSANDRA -> Map.of("CHIRP_CASSANDRA_CONTACT_POINT",
                    keep(CassandraEngine.start(dir.resolve("cassandra"), Ports.freePort(), Ports.freePort(),
                            true, registry)).endpoint(),
                    "CHIRP_CASSANDRA_DATACENTER", CassandraEngine.DATACENTER);
            case ELASTICSEARCH -> Map.of("CHIRP_ELASTICSEARCH_URL",
                    keep(ElasticsearchEngine.start(dir.resolve("elasticsearch"), Ports.freePort(),
                            Ports.freePort(), registry)).endpoint());
        };
    }

    @Override
    public void stop(Engine engine) {
        if (engine != Engine.REDIS || redis == null) {
            SharedEngines.EngineProvider.super.stop(engine);
        }
        redis.close();
        running.remove(redis);
    }

    @Override
    public void restart(Engine engine) {
        if (engine != Engine.REDIS || redis == null) {
            SharedEngines.EngineProvider.super.restart(engine);
        }
        redis = keep(RedisEngine.start(dir.resolve("redis"), redis.port(), false, registry));
    }

    private <T extends RunningEngine> T keep(T engine) {
        running.add(engine);
        return engine;
    }

    @Override
    public void close() {
        List<RunningEngine> reverse = new ArrayList<>(running);
        Collections.reverse(reverse);
        reverse.parallelStream().forEach(RunningEngine::close);
    }
}
