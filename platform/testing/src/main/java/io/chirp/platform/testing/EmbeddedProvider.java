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
    private final PostgresEngine[] primaries = new PostgresEngine[2];
    private final PostgresEngine[] replicas = new PostgresEngine[2];

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
                primaries[0] = shard0;
                primaries[1] = shard1;
                yield Map.of("CHIRP_SHARD0_JDBC_URL", shard0.endpoint(),
                        "CHIRP_SHARD1_JDBC_URL", shard1.endpoint(),
                        "CHIRP_DB_USER", PostgresEngine.USER,
                        "CHIRP_DB_PASSWORD", "");
            }
            case POSTGRES_REPLICAS -> {
                for (int shard = 0; shard < 2; shard++) {
                    replicas[shard] = startReplica(shard, Ports.freePort());
                }
                yield Map.of("CHIRP_TEST_SHARD0_REPLICA_JDBC_URL", replicas[0].endpoint(),
                        "CHIRP_TEST_SHARD1_REPLICA_JDBC_URL", replicas[1].endpoint());
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

    private PostgresEngine startReplica(int shard, int port) {
        if (primaries[shard] == null) {
            throw new IllegalStateException("PostgreSQL replicas need Engine.POSTGRES started first");
        }
        return keep(PostgresEngine.startReplica("postgres-" + shard + "-replica",
                dir.resolve("postgres-" + shard + "-replica"), port, primaries[shard], registry));
    }

    @Override
    public void stop(Engine engine) {
        if (engine == Engine.POSTGRES_REPLICAS && replicas[0] != null) {
            for (PostgresEngine replica : replicas) {
                replica.close();
                running.remove(replica);
            }
            return;
        }
        if (engine != Engine.REDIS || redis == null) {
            SharedEngines.EngineProvider.super.stop(engine);
        }
        redis.close();
        running.remove(redis);
    }

    @Override
    public void restart(Engine engine) {
        if (engine == Engine.POSTGRES_REPLICAS && replicas[0] != null) {
            for (int shard = 0; shard < 2; shard++) {
                replicas[shard] = startReplica(shard, replicas[shard].port());
            }
            return;
        }
        if (engine != Engine.REDIS || redis == null) {
            SharedEngines.EngineProvider.super.restart(engine);
        }
        redis = keep(RedisEngine.start(dir.resolve("redis"), redis.port(), false, registry));
    }

    @Override
    public void stopPostgres(int shard) {
        primaries[shard].close();
        running.remove(primaries[shard]);
    }

    @Override
    public void restartPostgres(int shard) {
        primaries[shard] = keep(PostgresEngine.start("postgres-" + shard, dir.resolve("postgres-" + shard),
                primaries[shard].port(), registry));
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
