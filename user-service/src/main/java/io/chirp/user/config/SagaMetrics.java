package io.chirp.user.config;

import java.time.Duration;
import java.util.List;

import io.chirp.platform.messaging.SagaGauges;
import io.chirp.user.store.JdbcSagaCounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.annotation.PreDestroy;

/**
 * {@code chirp.saga.instances} for the three sagas user-service runs, summed over the physical
 * shards and re-counted every {@code chirp.metrics.refresh-interval}. Only non-terminal states
 * are series (see {@link SagaGauges}); each is 0 when nothing is in flight:
 * <ul>
 *   <li>{@code saga="registration", state="started"}: claims taken, user not yet created nor the
 *       claims released (terminal: DONE, COMPENSATED);</li>
 *   <li>{@code saga="follow", state="in_flight"}: the {@code following} edge written, the
 *       {@code followers} edge not yet (or the undo not yet done);</li>
 *   <li>{@code saga="account_deletion", state="requested"}: the user marked deleting, waiting for
 *       the participants' acknowledgements or for the final removal (terminal: DONE).</li>
 * </ul>
 * A saga recovery ({@link SagaRecovery}) moves stalled instances on, so a series that stays
 * above 0 for longer than {@code chirp.sagas.stalled-after} plus a recovery interval is stuck.
 * The counts stop on the ShutdownEvent, before the datasources close.
 */
@Context
class SagaMetrics implements ApplicationEventListener<ShutdownEvent> {

    private final SagaGauges gauges;

    SagaMetrics(JdbcSagaCounts counts, MeterRegistry meters,
                @Value("${chirp.metrics.refresh-interval:5s}") Duration refreshInterval) {
        this.gauges = new SagaGauges(meters, refreshInterval);
        gauges.track("registration", List.of("started"), counts::registrations);
        gauges.track("follow", List.of("in_flight"), counts::follows);
        gauges.track("account_deletion", List.of("requested"), counts::deletions);
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
