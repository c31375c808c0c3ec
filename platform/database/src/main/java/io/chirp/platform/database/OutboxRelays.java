package io.chirp.platform.database;

import java.time.Duration;
import java.util.List;

import io.chirp.platform.messaging.OutboxBacklogGauges;
import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.platform.messaging.OutboxRelayGroup;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.annotation.PreDestroy;

/**
 * The transactional outbox's relays of every physical shard of a sharded service, and the gauge
 * of each shard's unpublished rows ({@code chirp.outbox.backlog}, counted every
 * {@code chirp.metrics.refresh-interval}), from start-up to shutdown. One relay per shard polls
 * every {@code chirp.outbox.poll-interval} (50 ms) for up to {@code chirp.outbox.batch-size} (500)
 * rows and publishes them with a producer whose client id is
 * {@code <micronaut.application.name>-outbox} ({@link OutboxRelayGroup}). They stop on the
 * ShutdownEvent, before any bean is destroyed, so they never poll a closed datasource.
 */
@Context
public class OutboxRelays implements ApplicationEventListener<ShutdownEvent> {

    private final OutboxRelayGroup group;
    private final OutboxBacklogGauges backlog;

    OutboxRelays(ShardedDataSources shards, @Value("${micronaut.application.name}") String service,
                 @Value("${kafka.bootstrap.servers}") String bootstrap,
                 @Value("${chirp.outbox.poll-interval:50ms}") Duration pollInterval,
                 @Value("${chirp.outbox.batch-size:500}") int batchSize, MeterRegistry meters,
                 @Value("${chirp.metrics.refresh-interval:5s}") Duration refreshInterval,
                 @Value("${chirp.metrics.query-timeout:2s}") Duration queryTimeout) {
        this.group = new OutboxRelayGroup(shards.all(), bootstrap, service + "-outbox", pollInterval, batchSize);
        this.backlog = new OutboxBacklogGauges(shards.all(), meters, refreshInterval, queryTimeout);
    }

    /** Every relay (tests pause and resume them to stand for a crash between commit and publish). */
    public List<OutboxRelay> relays() {
        return group.relays();
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        close();
    }

    @PreDestroy
    void close() {
        backlog.close();
        group.close();
    }
}
