package io.chirp.platform.database;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.chirp.platform.sharding.ReplicaMonitor;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

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
    private final Duration refreshInterval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chirp-replica-monitor");
        thread.setDaemon(true);
        return thread;
    });

    ReplicaMetrics(ReplicaMonitor monitor, ShardedDataSources shards, ReplicaProperties settings, MeterRegistry meters) {
        this.monitor = monitor;
        this.refreshInterval = settings.refreshInterval();
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

    /** Starts measuring (a daemon thread of its own: a slow replica never delays other scheduled work). */
    @PostConstruct
    void start() {
        if (!monitor.replicas().isEmpty()) {
            long every = refreshInterval.toMillis();
            scheduler.scheduleWithFixedDelay(monitor::refresh, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
