package io.chirp.platform.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;

/**
 * The relay's failure paths on the real engines: sends that Kafka refuses (an invalid topic
 * name, a record over the producer's 1 MiB request limit), a database that refuses
 * connections, and the relay's own lifecycle.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
class OutboxRelayFailureIT {

    private static final Duration POLL = Duration.ofMillis(20);

    private TestDatabase database;
    private DataSource dataSource;

    private Producer<String, String> producer;
    private String topic;

    @BeforeEach
    void newSchemaAndTopic() throws Exception {
        database = TestDatabase.create();
        dataSource = database.dataSource();
        topic = TestTopics.create(1);
        producer = KafkaProducers.idempotent(SharedEngines.get().kafkaBootstrap(), "failure-it");
    }

    @AfterEach
    void closeProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void aSendKafkaRefusesRollsBackTheBatchAndTheRowsGoOutOnceRepaired() throws Exception {
        List<OutboxMessage> messages = new ArrayList<>(messages(3));
        messages.set(1, new OutboxMessage(UUID.randomUUID(), "not a valid topic!", "user-1", "TweetCreated", "{}"));
        database.commit(messages);
        OutboxRelay relay = new OutboxRelay("refused", dataSource, producer, POLL, 10);

        assertEquals(0, relay.relayOnce());
        assertEquals(3, Outbox.backlog(dataSource), "nothing is marked sent when a send of the batch fails");

        execute("UPDATE outbox SET topic = '" + topic + "' WHERE topic = 'not a valid topic!'");
        assertEquals(3, relay.relayOnce());
        assertEquals(0, Outbox.backlog(dataSource));
        List<UUID> published = TestTopics.readToEnd(topic).stream().map(TestTopics::eventId).toList();
        assertTrue(published.containsAll(eventIds(messages)), "every row went out once repaired: " + published);
    }

    @Test
    void aRecordOverTheRequestLimitFailsItsAcknowledgementAndRollsBackTheBatch() throws Exception {
        List<OutboxMessage> messages = new ArrayList<>(messages(3));
        String huge = "{\"text\": \"" + "x".repeat(1_200_000) + "\"}";
        messages.set(2, new OutboxMessage(UUID.randomUUID(), topic, "user-1", "TweetCreated", huge));
        database.commit(messages);
        OutboxRelay relay = new OutboxRelay("too-large", dataSource, producer, POLL, 10);

        assertEquals(0, relay.relayOnce());
        assertEquals(3, Outbox.backlog(dataSource), "rows stay unsent for the next poll");

        execute("UPDATE outbox SET payload = '{\"text\": \"trimmed\"}'::jsonb WHERE length(payload::text) > 1000000");
        assertEquals(3, relay.relayOnce());
        assertEquals(0, Outbox.backlog(dataSource));
    }

    @Test
    void fullBatchesArePolledBackToBackUntilTheBacklogIsDrained() throws Exception {
        List<OutboxMessage> messages = messages(95);
        database.commit(messages);
        // An interval no test waits for: only polling again after a full batch can drain 95 rows.
        try (OutboxRelay relay = new OutboxRelay("draining", dataSource, producer, Duration.ofHours(1), 10)) {
            relay.start();
            await().until(() -> Outbox.backlog(dataSource) == 0);
        }
        List<ConsumerRecord<String, String>> published = TestTopics.readToEnd(topic);
        assertEquals(eventIds(messages), published.stream().map(TestTopics::eventId).toList(), "once each, in order");
    }

    @Test
    void schedulerThreadSurvivesDatabaseFailures() throws Exception {
        database.commit(messages(5));
        AtomicBoolean databaseDown = new AtomicBoolean(true);
        AtomicInteger refusedConnections = new AtomicInteger();
        DataSource flaky = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && databaseDown.get()) {
                        refusedConnections.incrementAndGet();
                        throw new SQLException("connection refused", "08001");
                    }
                    try {
                        return method.invoke(dataSource, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (OutboxRelay relay = new OutboxRelay("flaky", flaky, producer, POLL, 10)) {
            relay.start();
            await().until(() -> refusedConnections.get() >= 3);
            databaseDown.set(false);
            await().until(() -> Outbox.backlog(dataSource) == 0);
        }
        assertEquals(5, TestTopics.readToEnd(topic).size());
    }

    @Test
    void databaseFailureOfOneBatchIsReportedAsMessagingException() {
        DataSource down = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new SQLException("connection refused", "08001");
                });
        OutboxRelay relay = new OutboxRelay("down", down, producer, POLL, 10);
        MessagingException thrown = assertThrows(MessagingException.class, relay::relayOnce);
        assertEquals("08001", thrown.getCause().getSQLState());
    }

    @Test
    void closeStopsTheThreadButLeavesTheSharedProducerOpen() throws Exception {
        OutboxRelay relay = new OutboxRelay("closing", dataSource, producer, POLL, 10);
        relay.start();
        assertThrows(IllegalStateException.class, relay::start);
        await().until(() -> relayThreadAlive("closing"));

        relay.close();
        relay.close();

        await().until(() -> !relayThreadAlive("closing"));
        producer.send(new ProducerRecord<>(topic, "k", "still open")).get(); // the shared producer still works
        assertThrows(IllegalStateException.class, relay::start);
    }

    @Test
    void constructorRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new OutboxRelay(" ", dataSource, producer, POLL, 10));
        assertThrows(IllegalArgumentException.class, () -> new OutboxRelay("x", dataSource, producer, Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> new OutboxRelay("x", dataSource, producer, POLL, 0));
        assertThrows(NullPointerException.class, () -> new OutboxRelay("x", null, producer, POLL, 10));
    }

    private static boolean relayThreadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("outbox-relay-" + name) && t.isAlive());
    }

    private void execute(String sql) throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    private List<OutboxMessage> messages(int count) {
        List<OutboxMessage> messages = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            messages.add(new OutboxMessage(UUID.randomUUID(), topic, "user-1", "TweetCreated", "{\"seq\": " + seq + "}"));
        }
        return messages;
    }

    private static List<UUID> eventIds(List<OutboxMessage> messages) {
        return messages.stream().map(OutboxMessage::eventId).toList();
    }

}
