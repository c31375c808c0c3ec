package io.chirp.platform.database;

import io.chirp.platform.sharding.ReplicaMonitor;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;

/**
 * Measures the replicas every {@code chirp.replicas.refresh-interval} and publishes:
 * {@code chirp_replica_lag_seconds{shard}} (NaN when unmeasurable),
 * {@code chirp_replica_lag_bytes{shard}} (WAL not yet replayed),
 * {@code chirp_replica_in_rotation{shard}} (1 or 0), and
 * {@code chirp_db_stale_tolerant_reads_total{target="replica"|"primary"}}.
 */
@Context
@Requires(beans = MeterRegistry.class)
public class ReplicaMetrics {

    private final ReplicaMonitor monitor;

    ReplicaMetrics(ReplicaMonitor monitor, ShardedDataSources shards, MeterRegistry meters) {
        this.monitor = monitor;
        monitor.replicas().forEach((name, replica) -> {
            Gauge.builder("chirp.replica.lag.seconds", replica, r -> r.lagSeconds())
                    .description("How long ago the primary had what its replica has replayed").baseUnit("seconds")
                    .tag("shard", name).register(meters);
            Gauge.builder("chirp.replica.lag.bytes", replica, r -> r.lagBytes())
                    .description("WAL bytes the replica has not replayed").tag("shard", name).register(meters);
            Gauge.builder("chirp.replica.in.rotation", replica, r -> r.inRotation() ? 1 : 0)
                    .description("1 while stale-tolerant reads may use the replica").tag("shard", name).register(meters);
        });
        FunctionCounter.builder("chirp.db.stale.tolerant.reads", shards, s -> s.readCounts().toReplica())
                .description("Reads that tolerate staleness, by where they went").tag("target", "replica").register(meters);
        FunctionCounter.builder("chirp.db.stale.tolerant.reads", shards, s -> s.readCounts().toPrimary())
                .description("Reads that tolerate staleness, by where they went").tag("target", "primary").register(meters);
    }

    @Scheduled(fixedDelay = "${chirp.replicas.refresh-interval:250ms}", initialDelay = "0s")
    void refresh() {
        if (!monitor.replicas().isEmpty()) {
            monitor.refresh();
        }
    }
}
