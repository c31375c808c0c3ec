package io.chirp.platform.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class SagaGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SagaGauges gauges = new SagaGauges(registry, Duration.ofMillis(50));

    @AfterEach
    void close() {
        gauges.close();
    }

    @Test
    void eachStateIsOneLowerCaseSeriesAndAStateTheQueryDidNotReturnCountsZero() {
        gauges.track("like", List.of("STARTED", "Counted", "sent"), () -> Map.of("STARTED", 2L, "counted", 1L));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(2.0, instances("like", "started")));
        assertEquals(1.0, instances("like", "counted"));
        assertEquals(0.0, instances("like", "sent"));
        assertEquals(3, registry.find(SagaGauges.SAGA_INSTANCES_METRIC).gauges().size());
    }

    @Test
    void aFailingCountIsNaNUntilItSucceedsAgain() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        gauges.track("follow", List.of("in_flight"), () -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return Map.of("in_flight", 4L);
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(4.0, instances("follow", "in_flight")));

        failure.set(new IllegalStateException("shard1 is down"));
        await().atMost(Duration.ofSeconds(5)).until(() -> Double.isNaN(instances("follow", "in_flight")));

        failure.set(null);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(4.0, instances("follow", "in_flight")));
    }

    @Test
    void aSagaWithoutStatesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> gauges.track("none", List.of(), Map::of));
        assertTrue(registry.getMeters().isEmpty());
    }

    private double instances(String saga, String state) {
        return registry.get(SagaGauges.SAGA_INSTANCES_METRIC).tag("saga", saga).tag("state", state).gauge().value();
    }
}
