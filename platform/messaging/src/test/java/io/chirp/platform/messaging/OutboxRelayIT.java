package io.chirp.platform.messaging;

import static io.chirp.platform.messaging.TestTopics.eventId;
import static io.chirp.platform.messaging.TestTopics.header;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.TestNames;

@RealEngines({Engine.POSTGRES, Engine.KAFKA})
class OutboxRelayIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private TestDatabase database;
    private DataSource dataSource;

    @BeforeEach
    void newSchema() throws Exception {
        database = TestDatabase.create();
        dataSource = database.dataSource();
    }

    @AfterEach
    void closeRelaysThenProducers() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void committedRowsArePublishedOnceEachInOutboxOrderPerKeyWithHeadersThenMarkedSent() throws Exception {
        String topic = TestTopics.create(3);
        List<String> keys = List.of("user-1", "user-2", "user-3");
        List<OutboxMessage> messages = new ArrayList<>();
        for (int seq = 0; seq < 40; seq++) {
            for (String key : keys) {
                messages.add(message(topic, key, seq));
            }
        }
        for (int from = 0; from < messages.size(); from += 10) {
            database.commit(messages.subList(from, from + 10));
        }

        relay("orders", producer(), 16).start();

        await().atMost(PATIENCE).until(() -> Outbox.backlog(dataSource) == 0);
        List<ConsumerRecord<String, String>> published = TestTopics.readToEnd(topic);
        assertEquals(messages.size(), published.size(), "each row once");
        Map<UUID, OutboxMessage> byEventId = messages.stream()
                .collect(Collectors.toMap(OutboxMessage::eventId, Function.identity()));
        for (ConsumerRecord<String, String> record : published) {
            OutboxMessage sent = byEventId.get(eventId(record));
            assertEquals(sent.key(), record.key());
            assertEquals(sent.payloadJson(), record.value());
            assertEquals(sent.eventType(), header(record, OutboxRelay.EVENT_TYPE_HEADER));
        }
        assertEquals(byEventId.keySet(), published.stream().map(TestTopics::eventId).collect(Collectors.toSet()));
        for (String key : keys) {
            assertEquals(eventIdsOf(messages, key),
                    published.stream().filter(r -> r.key().equals(key)).map(TestTopics::eventId).toList(),
                    "outbox order for " + key);
        }
    }

    @Test
    void rolledBackTransactionPublishesNothing() throws Exception {
        String topic = TestTopics.create(1);
        relay("rollback", producer(), 10).start();
        OutboxMessage rolledBack = message(topic, "user-1", 0);
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            Outbox.append(connection, rolledBack);
            connection.rollback();
        }
        OutboxMessage marker = message(topic, "user-1", 1);
        database.commit(List.of(marker));

        // One partition: anything the relay published before the marker is read before it.
        List<ConsumerRecord<String, String>> published = TestTopics.consumeUntil(topic,
                records -> records.stream().anyMatch(r -> eventId(r).equals(marker.eventId())));
        assertFalse(published.stream().anyMatch(r -> eventId(r).equals(rolledBack.eventId())),
                "the rolled-back event was published");
        assertEquals(0, database.outboxRows(rolledBack));
    }

    @Test
    void pausedRelayLeavesCommittedRowsInTheOutboxAndPublishesEachOnceAfterResume() throws Exception {
        String topic = TestTopics.create(3);
        OutboxRelay relay = relay("paused", producer(), 8);
        relay.pause();
        relay.start();
        List<OutboxMessage> messages = new ArrayList<>();
        for (int seq = 0; seq < 30; seq++) {
            messages.add(message(topic, "user-" + seq % 4, seq));
        }
        database.commit(messages);

        // Stands for a service killed between its commit and the publication of its events.
        assertEquals(0, relay.relayOnce(), "a paused relay relays nothing, even when asked");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> Outbox.backlog(dataSource) == messages.size());
        assertEquals(List.of(), TestTopics.readToEnd(topic));

        relay.resume();
        await().atMost(PATIENCE).until(() -> Outbox.backlog(dataSource) == 0);
        List<UUID> published = TestTopics.readToEnd(topic).stream().map(TestTopics::eventId).toList();
        assertEquals(messages.size(), published.size(), "each row once");
        assertEquals(messages.stream().map(OutboxMessage::eventId).collect(Collectors.toSet()), new HashSet<>(published));
    }

    @Test
    void twoRelaysOnOneDatabasePublishEachRowOnce() throws Exception {
        String topic = TestTopics.create(3);
        List<OutboxMessage> messages = new ArrayList<>();
        for (int seq = 0; seq < 500; seq++) {
            messages.add(message(topic, "user-" + seq % 25, seq));
        }
        database.commit(messages);

        // Two instances of one service: each its own producer, both on the same database.
        OutboxRelay first = relay("first", producer(), 10);
        OutboxRelay second = relay("second", producer(), 10);
        first.start();
        second.start();

        await().atMost(PATIENCE).until(() -> Outbox.backlog(dataSource) == 0);
        List<UUID> published = TestTopics.readToEnd(topic).stream().map(TestTopics::eventId).toList();
        Set<UUID> distinct = new HashSet<>(published);
        assertEquals(published.size(), distinct.size(), "no row published twice");
        assertEquals(messages.stream().map(OutboxMessage::eventId).collect(Collectors.toSet()), distinct);
    }

    @Test
    void purgeSentDeletesOnlyPublishedRows() throws Exception {
        String topic = TestTopics.create(1);
        OutboxRelay relay = relay("purge", producer(), 10);
        database.commit(List.of(message(topic, "user-1", 0), message(topic, "user-1", 1)));
        assertEquals(2, relay.relayOnce());
        OutboxMessage unsent = message(topic, "user-1", 2);
        database.commit(List.of(unsent));

        assertEquals(0, relay.purgeSent(Duration.ofDays(1)), "sent too recently");
        assertEquals(2, relay.purgeSent(Duration.ZERO));
        assertEquals(1, Outbox.backlog(dataSource));
        assertEquals(1, database.outboxRows(unsent));
        assertEquals(1, relay.relayOnce());
        assertEquals(0, Outbox.backlog(dataSource));
    }

    private OutboxRelay relay(String name, Producer<String, String> producer, int batchSize) {
        OutboxRelay relay = new OutboxRelay(name, dataSource, producer, Duration.ofMillis(20), batchSize);
        resources.add(0, relay); // closed before the producers
        return relay;
    }

    private Producer<String, String> producer() {
        Producer<String, String> producer = KafkaProducers.idempotent(
                SharedEngines.get().kafkaBootstrap(), TestNames.unique("relay"));
        resources.add(producer);
        return producer;
    }

    private static OutboxMessage message(String topic, String key, int seq) {
        // A single-member object: PostgreSQL's jsonb renders it back exactly as written.
        return new OutboxMessage(UUID.randomUUID(), topic, key, "SomethingHappened", "{\"seq\": " + seq + "}");
    }

    private static List<UUID> eventIdsOf(List<OutboxMessage> messages, String key) {
        return messages.stream().filter(m -> m.key().equals(key)).map(OutboxMessage::eventId).toList();
    }
}
