package io.chirp.search;

import java.net.URI;
import java.util.List;
import java.util.Set;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.OperationsContract;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

@RealEngines({Engine.ELASTICSEARCH, Engine.KAFKA})
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
        return "search-service";
    }

    @Override
    protected Set<String> storeHealthComponents() {
        return Set.of("elasticsearch", "kafka");
    }

    /** Beside the latency buckets: consumer lag. */
    @Override
    protected List<String> dashboardSeries() {
        List<String> series = super.dashboardSeries();
        series.addAll(List.of(
                "^kafka_consumer_records_lag_max_records\\{.*\\} "));
        return series;
    }
}
