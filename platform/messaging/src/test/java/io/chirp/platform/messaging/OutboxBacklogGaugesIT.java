package io.chirp.platform.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.TestNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

@RealEngines({Engine.POSTGRES, Engine.KAFKA})
class OutboxBacklogGaugesIT {

    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private TestDatabase busy;
    private TestDatabase idle;

    @BeforeEach
    void twoShards() throws Exception {
        busy = TestDatabase.create();
        idle = TestDatabase.create();
        Map<String, DataSource> shards = new LinkedHashMap<>();
        shards.put("shard0", busy.dataSource());
        shards.put("shard1", idle.dataSource());
        resources.add(new OutboxBacklogGauges(shards, registry, INTERVAL, Duration.ofSeconds(1)));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void committedUnsentRowsAreCountedPerShardAndTheGaugeReturnsToZeroOnceRelayed() throws Exception {
        String topic = TestTopics.create(1);
        busy.commit(List.of(message(topic), message(topic), message(topic)));

        await().atMost(PATIENCE).untilAsserted(() -> assertEquals(3.0, backlog("shard0")));
        assertEquals(0.0, backlog("shard1"));

        Producer<String, String> producer = KafkaProducers.idempotent(SharedEngines.get().kafkaBootstrap(),
                TestNames.unique("backlog"));
        resources.add(0, producer);
        OutboxRelay relay = new OutboxRelay("shard0", busy.dataSource(), producer, INTERVAL, 10);
        resources.add(0, relay);
        assertEquals(3, relay.relayOnce());

        await().atMost(PATIENCE).untilAsserted(() -> assertEquals(0.0, backlog("shard0")));
    }

    @Test
    void aShardThatCannotBeCountedReportsNaNWithoutDelayingTheScrapeOrTheOtherShard() throws Exception {
        String topic = TestTopics.create(1);
        busy.commit(List.of(message(topic)));
        await().atMost(PATIENCE).untilAsserted(() -> assertEquals(1.0, backlog("shard0")));

        // an exclusive lock stands for a database that no longer answers: the count waits, then times out
        try (Connection locker = busy.connect(); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE");
            idle.commit(List.of(message(topic), message(topic)));

            await().atMost(PATIENCE).untilAsserted(() -> assertTrue(Double.isNaN(backlog("shard0")), "unknown, not 1"));
            await().atMost(PATIENCE).untilAsserted(() -> assertEquals(2.0, backlog("shard1")));
            long start = System.nanoTime();
            backlog("shard0");
            assertTrue(System.nanoTime() - start < Duration.ofMillis(50).toNanos(), "the gauge reads memory only");
            locker.rollback();
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertEquals(1.0, backlog("shard0")));
    }

    private double backlog(String shard) {
        return registry.get(OutboxBacklogGauges.OUTBOX_BACKLOG_METRIC).tag("shard", shard).gauge().value();
    }

    private static OutboxMessage message(String topic) {
        return new OutboxMessage(UUID.randomUUID(), topic, "user-1", "SomethingHappened", "{\"seq\": 1}");
    }
}
