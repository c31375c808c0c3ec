package io.chirp.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The trace context of an event, carried from the transaction that wrote it to the consumer
 * that handles it, as a W3C Trace Context {@value #TRACEPARENT_HEADER} (e.g.
 * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}): captured from the current
 * span by {@link Outbox#append} into the row's {@code trace_parent} column, sent by
 * {@link OutboxRelay} as the record's {@value #TRACEPARENT_HEADER} header, and continued by the
 * consumer's span ({@link #process}). Formatting and parsing are OpenTelemetry's
 * {@link W3CTraceContextPropagator}; {@code tracestate} is not carried.
 * <p>
 * The current span is OpenTelemetry's {@link Context#current()}: the HTTP server span of the
 * request (Micronaut Tracing), or the consumer span of {@link #process}. Without one, nothing is
 * stored or sent, and the consumer's span starts a trace of its own.
 * <p>
 * Specification: <a href="https://www.w3.org/TR/trace-context/">W3C Trace Context</a>;
 * span shape: OpenTelemetry semantic conventions for messaging spans (a {@code CONSUMER} span
 * named {@code process <topic>}).
 */
public final class KafkaTracing {

    /** The W3C Trace Context header, also the Kafka record header's name. */
    public static final String TRACEPARENT_HEADER = "traceparent";

    private static final W3CTraceContextPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return () -> java.util.Arrays.stream(carrier.toArray()).map(Header::key).iterator();
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header header = carrier.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(TRACEPARENT_HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT_HEADER.equals(key) ? carrier : null;
        }
    };

    private KafkaTracing() {
    }

    /**
     * The {@code traceparent} of the current span, or {@code null} when there is no valid
     * current span (no tracing, or outside any request or consumer span).
     */
    public static String currentTraceparent() {
        return traceparentOf(Context.current());
    }

    /** The {@code traceparent} of {@code context}'s span, or {@code null} if it has no valid span. */
    public static String traceparentOf(Context context) {
        Objects.requireNonNull(context, "context");
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        PROPAGATOR.inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT_HEADER);
    }

    /**
     * {@code parent} with the remote span of {@code traceparent}; {@code parent} unchanged when
     * {@code traceparent} is {@code null} or not a valid W3C {@code traceparent}.
     */
    public static Context withTraceparent(Context parent, String traceparent) {
        Objects.requireNonNull(parent, "parent");
        if (traceparent == null) {
            return parent;
        }
        return PROPAGATOR.extract(parent, traceparent, TRACEPARENT);
    }

    /**
     * The root context with the remote span of the record's {@value #TRACEPARENT_HEADER} header,
     * or the root context alone when the header is absent or invalid.
     */
    public static Context extract(Headers headers) {
        return PROPAGATOR.extract(Context.root(), headers, HEADERS);
    }

    /** A unit of work run in a consumer span; may throw what the listener throws. */
    @FunctionalInterface
    public interface Work<E extends Exception> {
        void run() throws E;
    }

    /**
     * Runs {@code work} in a new {@code CONSUMER} span {@code process <topic>} whose parent is the
     * span named by the record's {@value #TRACEPARENT_HEADER} header (a new trace without one),
     * made current for the duration so logs carry its trace id and anything the work sends or
     * appends to an outbox continues the trace. An exception thrown by {@code work} is recorded
     * on the span (status {@code ERROR}) and rethrown.
     *
     * @param tracer   the service's tracer
     * @param record   the record being handled
     * @param consumer the consumer group, recorded as {@code messaging.consumer.group.name}
     */
    public static <E extends Exception> void process(Tracer tracer, ConsumerRecord<?, ?> record, String consumer,
                                                     Work<E> work) throws E {
        Span span = startProcessSpan(tracer, record, consumer);
        try (Scope ignored = span.makeCurrent()) {
            work.run();
        } catch (Exception | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * Starts (without making it current) the {@code CONSUMER} span {@code process <topic>} of
     * {@code record}, child of the span named by its {@value #TRACEPARENT_HEADER} header; the
     * caller ends it.
     */
    public static Span startProcessSpan(Tracer tracer, ConsumerRecord<?, ?> record, String consumer) {
        Objects.requireNonNull(tracer, "tracer");
        Objects.requireNonNull(record, "record");
        Span span = tracer.spanBuilder("process " + record.topic())
                .setParent(extract(record.headers()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("messaging.consumer.group.name", consumer)
                .startSpan();
        String eventId = HEADERS.get(record.headers(), OutboxRelay.EVENT_ID_HEADER);
        if (eventId != null) {
            span.setAttribute("messaging.message.id", eventId);
        }
        String eventType = HEADERS.get(record.headers(), OutboxRelay.EVENT_TYPE_HEADER);
        if (eventType != null) {
            span.setAttribute("chirp.event.type", eventType);
        }
        return span;
    }
}
