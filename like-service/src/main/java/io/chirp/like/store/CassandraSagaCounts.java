package io.chirp.like.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

import io.chirp.like.config.CassandraProperties;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Counts the like sagas in flight by state, for the saga gauges: one read of the single
 * {@code like_sagas} partition the recovery also reads, which holds in-flight sagas only (a row
 * is deleted when its saga ends), so the cost follows the sagas running, never the likes.
 * The read carries the configured timeout on each page.
 */
@Singleton
public class CassandraSagaCounts {

    private final CqlSession session;
    private final PreparedStatement states;
    private final Duration timeout;

    CassandraSagaCounts(CqlSession session, CassandraProperties properties, LikeSchema schema,
                        @Value("${chirp.metrics.query-timeout:2s}") Duration timeout) {
        this.session = session;
        this.timeout = timeout;
        schema.ensure();
        states = session.prepare("SELECT state FROM " + properties.keyspace() + ".like_sagas WHERE bucket = ?");
    }

    /** Sagas in flight by state name ({@code STARTED}, {@code COUNTED}, {@code SENT}); absent = none. */
    public Map<String, Long> inFlightByState() {
        Map<String, Long> counts = new HashMap<>();
        for (Row row : session.execute(states.bind(CassandraLikeStore.SAGA_BUCKET).setTimeout(timeout).setPageSize(5000))) {
            counts.merge(row.getString(0), 1L, Long::sum);
        }
        return counts;
    }
}
