package io.chirp.timeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.OperationsContract;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

@RealEngines({Engine.REDIS, Engine.KAFKA})
@MicronautTest
class ServiceOperationsIT extends OperationsContract {

    @Inject
    EmbeddedServer server;

    @Override
    protected URI baseUrl() {
        return server.getURI();
    }

    @Override
    protected String serviceName() {
        return "timeline-service";
    }

    @Override
    protected Set<String> storeHealthComponents() {
        return Set.of("redis", "kafka");
    }

    /** What the Grafana dashboard reads: latency buckets per endpoint, consumer lag. */
    @Test
    void prometheusHasLatencyHistogramsConsumerLag() {
        assertEquals(200, get("/health").status());
        List<String> series = List.of(
                "^http_server_requests_seconds_bucket\\{.*uri=\"/health\".*\\} \\d",
                "^kafka_consumer_records_lag_max_records\\{.*\\} ");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = get("/prometheus").body();
            for (String expected : series) {
                assertTrue(Pattern.compile(expected, Pattern.MULTILINE).matcher(metrics).find(), expected);
            }
        });
    }
}
