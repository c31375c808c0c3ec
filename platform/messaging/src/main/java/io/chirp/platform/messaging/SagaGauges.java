package io.chirp.platform.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gauge {@value #SAGA_INSTANCES_METRIC} (Prometheus {@code chirp_saga_instances}): how many
 * instances of a saga are in a given state now, tagged {@code saga} (e.g. {@code registration})
 * and {@code state} (lower case, e.g. {@code started}). Unit: saga instances.
 * <p>
 * <b>Only states a saga can leave are gauged</b>: each service counts its in-flight rows with a
 * query that reads only them (a partial index, or a table or partition that holds nothing
 * else), so the cost follows the sagas in flight, not every saga ever run. Terminal states are
 * not gauged, because their rows accumulate (one per registration ever made) and counting them
 * would scan the table; that sagas finish shows as these gauges returning to 0. A fault test or
 * an alert therefore reads "stuck" as a non-terminal series staying above 0, and every series is
 * exact as of its last refresh. Which states each saga reports is documented where the service
 * registers it.
 * <p>
 * One query per saga returns the counts by state and runs every {@code interval} on a thread of
 * its own ({@link PolledReadings}); a state missing from its result counts 0. While the query
 * fails every state of that saga reports {@code NaN}, never the last known count.
 */
public final class SagaGauges implements AutoCloseable {

    /** The meter's name. */
    public static final String SAGA_INSTANCES_METRIC = "chirp.saga.instances";

    private final MeterRegistry registry;
    private final PolledReadings readings;

    /**
     * @param registry where the gauges go (the service's registry)
     * @param interval how often each saga's query runs, e.g. 5 s; positive
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public SagaGauges(MeterRegistry registry, Duration interval) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.readings = new PolledReadings("saga-instances", interval);
    }

    /**
     * Registers one gauge per state of {@code saga} and starts refreshing them.
     *
     * @param saga          the {@code saga} tag, e.g. {@code follow}
     * @param states        the non-terminal states to report (tag values are lower-cased)
     * @param countsByState the query: state (any case) → instances in it; should carry a short
     *                      timeout, since a hung query makes the gauges {@code NaN} after three
     *                      intervals but holds its thread
     * @throws IllegalArgumentException if {@code states} is empty
     */
    public void track(String saga, List<String> states, Callable<Map<String, Long>> countsByState) {
        Objects.requireNonNull(saga, "saga");
        if (states.isEmpty()) {
            throw new IllegalArgumentException("saga " + saga + " has no state to report");
        }
        PolledReadings.Reading<Map<String, Long>> counts = readings.add(saga, () -> lowerCaseKeys(countsByState.call()));
        for (String state : states) {
            String tag = state.toLowerCase(Locale.ROOT);
            Gauge.builder(SAGA_INSTANCES_METRIC, counts, reading -> reading.value(c -> c.getOrDefault(tag, 0L)))
                    .description("Saga instances in a non-terminal state; NaN while they cannot be counted")
                    .tag("saga", saga)
                    .tag("state", tag)
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** Stops refreshing; the gauges report {@code NaN} from then on. Idempotent. */
    @Override
    public void close() {
        readings.close();
    }

    private static Map<String, Long> lowerCaseKeys(Map<String, Long> counts) {
        return counts.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue, Long::sum));
    }
}
