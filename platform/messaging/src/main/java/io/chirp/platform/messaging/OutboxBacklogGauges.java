package io.chirp.platform.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gauge {@value #OUTBOX_BACKLOG_METRIC} (Prometheus {@code chirp_outbox_backlog}): per
 * physical database, the outbox rows committed and not yet published ({@link Outbox#backlog}),
 * tagged {@code shard} with the database's name (the datasource name, e.g. {@code shard0}, as
 * the other per-shard meters). Unit: rows. 0 once the relay has caught up; a value that keeps
 * growing means the relay cannot reach Kafka or is not running.
 * <p>
 * The count is taken every {@code interval} on a thread of its own per database
 * ({@link PolledReadings}), with {@code queryTimeout} on the statement, so a scrape never touches
 * the database. While a database cannot be counted, its series reports {@code NaN}, never the
 * last known count: see {@link PolledReadings} for why.
 * <p>
 * Register one instance per service, for the same databases its {@link OutboxRelayGroup} drains,
 * and close it before the pools close.
 */
public final class OutboxBacklogGauges implements AutoCloseable {

    /** The meter's name. */
    public static final String OUTBOX_BACKLOG_METRIC = "chirp.outbox.backlog";

    private final PolledReadings readings;

    /**
     * Registers one gauge per database and starts counting.
     *
     * @param databases    physical database name → its pool (the {@code shard} tag → what is counted)
     * @param registry     where the gauges go (the service's registry)
     * @param interval     how often each backlog is counted, e.g. 5 s; positive
     * @param queryTimeout the count's statement timeout, e.g. 2 s (whole seconds)
     * @throws IllegalArgumentException if {@code interval} is not positive or {@code queryTimeout} is negative
     */
    public OutboxBacklogGauges(Map<String, DataSource> databases, MeterRegistry registry, Duration interval,
                               Duration queryTimeout) {
        Objects.requireNonNull(registry, "registry");
        if (queryTimeout.isNegative()) {
            throw new IllegalArgumentException("queryTimeout must not be negative: " + queryTimeout);
        }
        this.readings = new PolledReadings("outbox-backlog", interval);
        databases.forEach((name, dataSource) -> {
            PolledReadings.Reading<Long> backlog = readings.add(name, () -> Outbox.backlog(dataSource, queryTimeout));
            Gauge.builder(OUTBOX_BACKLOG_METRIC, backlog, reading -> reading.value(Long::doubleValue))
                    .description("Outbox rows committed and not yet published to Kafka; NaN while the shard cannot be counted")
                    .tag("shard", name)
                    .strongReference(true)
                    .register(registry);
        });
    }

    /** Stops counting; the gauges report {@code NaN} from then on. Idempotent. */
    @Override
    public void close() {
        readings.close();
    }
}
