package io.chirp.like;

import java.net.URI;
import java.util.List;
import java.util.Set;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.OperationsContract;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

@RealEngines({Engine.CASSANDRA, Engine.KAFKA})
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
        return "like-service";
    }

    @Override
    protected Set<String> storeHealthComponents() {
        return Set.of("cassandra", "kafka");
    }

    /** Beside the latency buckets: consumer lag and the like sagas in flight. */
    @Override
    protected List<String> dashboardSeries() {
        List<String> series = super.dashboardSeries();
        series.addAll(List.of(
                "^kafka_consumer_records_lag_max_records\\{.*\\} ",
                "^chirp_saga_instances\\{saga=\"like\",state=\"started\"\\} \\d",
                "^chirp_saga_instances\\{saga=\"like\",state=\"counted\"\\} \\d",
                "^chirp_saga_instances\\{saga=\"like\",state=\"sent\"\\} \\d"));
        return series;
    }
}
