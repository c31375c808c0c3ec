package io.chirp.user.config;

import java.time.Duration;
import java.util.List;

import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.platform.messaging.OutboxRelayGroup;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.annotation.PreDestroy;

/**
 * The outbox relays of every physical shard, from start-up to shutdown. They stop on the
 * ShutdownEvent, before any bean is destroyed, so they never poll a closed datasource.
 */
@Context
public class OutboxRelays implements ApplicationEventListener<ShutdownEvent> {

    private final OutboxRelayGroup group;

    OutboxRelays(ShardedDataSources shards, @Value("${kafka.bootstrap.servers}") String bootstrap,
                 @Value("${chirp.outbox.poll-interval:50ms}") Duration pollInterval,
                 @Value("${chirp.outbox.batch-size:500}") int batchSize) {
        this.group = new OutboxRelayGroup(shards.all(), bootstrap, "user-service-outbox", pollInterval, batchSize);
    }

    /** Every relay (tests pause and resume them to stand for a crash between commit and publish). */
    public List<OutboxRelay> relays() {
        return group.relays();
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        group.close();
    }

    @PreDestroy
    void close() {
        group.close();
    }
}
