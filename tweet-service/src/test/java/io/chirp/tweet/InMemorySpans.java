package io.chirp.tweet;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.inject.Singleton;

/**
 * Finished spans kept in memory instead of exported, for the tests that set
 * {@code chirp.test.in-memory-spans=true}: Micronaut Tracing adds this span processor to the
 * service's tracer provider.
 */
@Factory
@Requires(property = "chirp.test.in-memory-spans", value = "true")
class InMemorySpans {

    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }

    @Singleton
    SpanProcessor processor(InMemorySpanExporter exporter) {
        return SimpleSpanProcessor.create(exporter);
    }
}
