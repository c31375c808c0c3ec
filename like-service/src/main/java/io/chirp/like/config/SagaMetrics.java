package io.chirp.like.config;

import java.time.Duration;
import java.util.Arrays;

import io.chirp.like.domain.LikeSaga;
import io.chirp.like.store.CassandraSagaCounts;
import io.chirp.platform.messaging.SagaGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.annotation.PreDestroy;

/**
 * {@code chirp.saga.instances} for the like saga, re-counted every
 * {@code chirp.metrics.refresh-interval}: {@code saga="like"} with {@code state} one of
 * {@code started}, {@code counted}, {@code sent} ({@link LikeSaga.State}). All three are
 * non-terminal: a saga ends by deleting its row (tweet-service confirmed, or the like was
 * compensated), so every series is 0 when nothing is in flight. A series above 0 for longer
 * than {@code chirp.likes.stalled-after} plus a recovery interval ({@link SagaRecovery}) is
 * stuck. The counts stop on the ShutdownEvent, before the Cassandra session closes.
 */
@Context
class SagaMetrics implements ApplicationEventListener<ShutdownEvent> {

    private final SagaGauges gauges;

    SagaMetrics(CassandraSagaCounts counts, MeterRegistry meters,
                @Value("${chirp.metrics.refresh-interval:5s}") Duration refreshInterval) {
        this.gauges = new SagaGauges(meters, refreshInterval);
        gauges.track("like", Arrays.stream(LikeSaga.State.values()).map(Enum::name).toList(), counts::inFlightByState);
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        close();
    }

    @PreDestroy
    void close() {
        gauges.close();
    }
}
