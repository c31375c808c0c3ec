package io.chirp.platform.messaging;

import static io.chirp.platform.messaging.TestTopics.eventId;
import static io.chirp.platform.messaging.TestTopics.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.TestNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** The trace context goes with the event: span → outbox row → record header → consumer span. */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
class OutboxTracingIT {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final Tracer tracer = tracerProvider.get("outbox-tracing-it");

    private TestDatabase database;
    private Producer<String, String> producer;
    private OutboxRelay relay;

    @BeforeEach
    void setUp() throws Exception {
        database = TestDatabase.create();
        producer = KafkaProducers.idempotent(SharedEngines.get().kafkaBootstrap(), TestNames.unique("relay"));
        relay = new OutboxRelay("tracing", database.dataSource(), producer, Duration.ofSeconds(1), 10);
    }

    @AfterEach
    void tearDown() {
        relay.close();
        producer.close();
        tracerProvider.close();
    }

    @Test
    void appendInsideASpanStoresItsTraceparentAndTheRelaySendsItAsTheHeader() throws Exception {
        String topic = TestTopics.create(1);
        OutboxMessage traced = message(topic);
        Span request = tracer.spanBuilder("POST /api/v1/tweets").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = request.makeCurrent(); Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            Outbox.append(connection, traced);
            connection.commit();
        } finally {
            request.end();
        }
        String expected = "00-" + request.getSpanContext().getTraceId() + "-" + request.getSpanContext().getSpanId()
                + "-01";
        assertEquals(expected, database.traceParent(traced), "the row keeps the appending span's context");

        assertEquals(1, relay.relayOnce());
        ConsumerRecord<String, String> record = single(TestTopics.readToEnd(topic));
        assertEquals(traced.eventId(), eventId(record));
        assertEquals(expected, header(record, KafkaTracing.TRACEPARENT_HEADER));

        // The consumer's span continues the request's trace, and is current while it handles the record.
        String[] seenInside = new String[1];
        KafkaTracing.process(tracer, record, "some-consumer",
                () -> seenInside[0] = Span.current().getSpanContext().getTraceId());
        SpanData consumer = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
        assertEquals("process " + topic, consumer.getName());
        assertEquals(request.getSpanContext().getTraceId(), consumer.getTraceId());
        assertEquals(request.getSpanContext().getSpanId(), consumer.getParentSpanId());
        assertTrue(consumer.getParentSpanContext().isRemote());
        assertEquals(request.getSpanContext().getTraceId(), seenInside[0]);
    }

    @Test
    void appendOutsideAnySpanStoresNullAndSendsNoHeader() throws Exception {
        String topic = TestTopics.create(1);
        OutboxMessage untraced = message(topic);
        database.commit(List.of(untraced));
        assertNull(database.traceParent(untraced));

        assertEquals(1, relay.relayOnce());
        ConsumerRecord<String, String> record = single(TestTopics.readToEnd(topic));
        assertNull(record.headers().lastHeader(KafkaTracing.TRACEPARENT_HEADER));

        // Without a header the consumer's span starts a trace of its own.
        KafkaTracing.process(tracer, record, "some-consumer", () -> { });
        SpanData consumer = spans.getFinishedSpanItems().get(0);
        assertNotNull(consumer.getTraceId());
        assertTrue(!consumer.getParentSpanContext().isValid(), "a root span");
    }

    private static ConsumerRecord<String, String> single(List<ConsumerRecord<String, String>> records) {
        assertEquals(1, records.size());
        return records.get(0);
    }

    private static OutboxMessage message(String topic) {
        return new OutboxMessage(UUID.randomUUID(), topic, "tweet-1", "TweetCreated", "{\"seq\": 1}");
    }
}
