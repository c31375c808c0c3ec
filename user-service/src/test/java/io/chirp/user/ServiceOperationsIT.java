package io.chirp.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.OperationsContract;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
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
        return "user-service";
    }

    @Override
    protected Set<String> storeHealthComponents() {
        return Set.of("jdbc", "kafka");
    }

    @Test
    void healthHasOneDatasourcePerPhysicalShard() {
        Set<String> urls = new HashSet<>();
        health().path("details").path("jdbc").path("details").fieldNames().forEachRemaining(urls::add);
        SharedEngines engines = SharedEngines.get();
        assertEquals(Set.of(engines.jdbcUrl(0), engines.jdbcUrl(1)), urls);
    }

    @Test
    void flywayMigratedEveryPhysicalShard() throws Exception {
        for (int shard = 0; shard < 2; shard++) {
            try (Connection c = DriverManager.getConnection(SharedEngines.get().jdbcUrl(shard), "postgres", "");
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "V1 applied on shard " + shard);
            }
        }
    }

    /** Beside the latency buckets: consumer lag, the outbox backlog per shard and the sagas in flight. */
    @Override
    protected List<String> dashboardSeries() {
        List<String> series = super.dashboardSeries();
        series.addAll(List.of(
                "^kafka_consumer_records_lag_max_records\\{.*\\} ",
                "^chirp_outbox_backlog\\{shard=\"shard0\"\\} 0\\.0$",
                "^chirp_outbox_backlog\\{shard=\"shard1\"\\} 0\\.0$",
                "^chirp_saga_instances\\{saga=\"registration\",state=\"started\"\\} \\d",
                "^chirp_saga_instances\\{saga=\"follow\",state=\"in_flight\"\\} \\d",
                "^chirp_saga_instances\\{saga=\"account_deletion\",state=\"requested\"\\} \\d"));
        return series;
    }
}
