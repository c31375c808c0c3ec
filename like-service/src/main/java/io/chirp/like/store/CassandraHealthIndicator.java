package io.chirp.like.store;

import java.util.Map;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

/** {@code cassandra} in {@code /health}: UP when the local node answers a query. */
@Singleton
class CassandraHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final CqlSession session;

    CassandraHealthIndicator(CqlSession session) {
        this.session = session;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Row row = session.execute("SELECT release_version, data_center FROM system.local").one();
        healthStatus = HealthStatus.UP;
        return Map.of("version", row.getString(0), "datacenter", row.getString(1),
                "keyspace", session.getKeyspace().map(Object::toString).orElse("(none)"));
    }

    @Override
    protected String getName() {
        return "cassandra";
    }
}
