package io.chirp.tweet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.chirp.platform.events.Topics;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.logback.mdc.v1_0.OpenTelemetryAppender;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.inject.Inject;

/**
 * One trace from the request that posts a tweet to the consumer of its TweetCreated: the HTTP
 * server span, the outbox row's trace_parent, the record's traceparent header (sent by the
 * relay), and the consumer span of tweet-service's own counters listener, all with one trace id;
 * the access-log line of the request carries it too.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
@MicronautTest
class TracingIT extends ApiTestSupport {

    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("chirp.event.type");

    @Inject
    InMemorySpanExporter spans;

    @Inject
    ShardedDataSources shards;

    @Override
    Map<String, String> moreProperties() {
        return Map.of("chirp.test.in-memory-spans", "true");
    }

    @Test
    void postingATweetAndConsumingItsTweetCreatedShareOneTraceId() throws Exception {
        ListAppender<ILoggingEvent> accessLog = new ListAppender<>();
        OpenTelemetryAppender withTraceIds = new OpenTelemetryAppender();
        withTraceIds.setTraceIdKey("traceId");
        withTraceIds.setSpanIdKey("spanId");
        withTraceIds.addAppender(accessLog);
        accessLog.start();
        withTraceIds.start();
        Logger access = (Logger) LoggerFactory.getLogger("io.chirp.access");
        access.addAppender(withTraceIds);
        try {
            TestUser user = newUser("trc_");
            String tweetId = post(user, "one trace #tracing").path("id").asText();

            OutboxRow row = outboxRowOf(Long.parseLong(tweetId));
            assertNotNull(row.traceParent(), "the outbox row keeps the request's trace context");
            String traceId = row.traceParent().split("-")[1];

            SpanData server = await().atMost(Duration.ofSeconds(60)).until(
                    () -> find(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(traceId)
                            && s.getName().contains("/api/v1/tweets")),
                    Optional::isPresent).orElseThrow();
            assertEquals(server.getSpanId(), row.traceParent().split("-")[2], "appended in the request's span");
            // the token check fetched the JWKS over Micronaut's HttpClient: the context went along
            // (the first request of this context, so the JWKS was not cached yet)
            assertTrue(find(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(traceId)
                    && s.getName().contains("/test-jwks")).isPresent(), "JWKS fetch in the request's trace");

            SpanData consumer = await().atMost(Duration.ofSeconds(60)).until(
                    () -> find(s -> s.getKind() == SpanKind.CONSUMER && row.eventId().equals(s.getAttributes().get(MESSAGE_ID))),
                    Optional::isPresent).orElseThrow();
            assertEquals("process " + Topics.TWEET_EVENTS, consumer.getName());
            assertEquals("TweetCreated", consumer.getAttributes().get(EVENT_TYPE));
            assertEquals(traceId, consumer.getTraceId(), "the consumer continues the request's trace");
            assertEquals(server.getSpanId(), consumer.getParentSpanId());

            List<ILoggingEvent> lines = accessLog.list.stream()
                    .filter(e -> e.getFormattedMessage().startsWith("POST /api/v1/tweets 201")).toList();
            assertEquals(1, lines.size(), "access log: " + accessLog.list);
            assertEquals(traceId, lines.get(0).getMDCPropertyMap().get("traceId"), "the access-log line's trace id");
        } finally {
            access.detachAppender(withTraceIds);
            withTraceIds.stop();
        }
    }

    private Optional<SpanData> find(java.util.function.Predicate<SpanData> match) {
        return spans.getFinishedSpanItems().stream().filter(match).findFirst();
    }

    private record OutboxRow(String eventId, String traceParent) {
    }

    private OutboxRow outboxRowOf(long tweetId) throws Exception {
        for (DataSource db : shards.all().values()) {
            try (Connection connection = db.getConnection();
                 PreparedStatement select = connection.prepareStatement("SELECT event_id::text, trace_parent FROM outbox"
                         + " WHERE event_type = 'TweetCreated' AND (payload->>'tweetId')::bigint = ?")) {
                select.setLong(1, tweetId);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return new OutboxRow(rows.getString(1), rows.getString(2));
                    }
                }
            }
        }
        throw new AssertionError("no TweetCreated in any outbox for tweet " + tweetId);
    }
}
