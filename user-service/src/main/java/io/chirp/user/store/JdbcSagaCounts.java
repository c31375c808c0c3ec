package io.chirp.user.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.chirp.platform.sharding.ShardedDataSources;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Counts the sagas in flight on every physical shard, by state, for the saga gauges. Each query
 * reads in-flight rows only, so its cost follows the sagas running, not every saga ever run:
 * {@code registrations} through the partial index {@code registrations_started},
 * {@code follow_sagas} because its rows are deleted when a follow completes, {@code deletions}
 * through the partial index {@code deletions_open}. Every statement has the configured timeout;
 * a shard that fails or times out fails the whole count (never a partial sum).
 */
@Singleton
public class JdbcSagaCounts {

    private static final String REGISTRATIONS = "SELECT state, count(*) FROM registrations WHERE state = 'STARTED'"
            + " GROUP BY state";
    private static final String FOLLOWS = "SELECT 'IN_FLIGHT', count(*) FROM follow_sagas";
    private static final String DELETIONS = "SELECT state, count(*) FROM deletions WHERE state <> 'DONE' GROUP BY state";

    private final ShardedDataSources shards;
    private final int timeoutSeconds;

    JdbcSagaCounts(ShardedDataSources shards, @Value("${chirp.metrics.query-timeout:2s}") Duration timeout) {
        this.shards = shards;
        this.timeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    /** Registration sagas not yet DONE or COMPENSATED, by state: only {@code STARTED}. */
    public Map<String, Long> registrations() throws SQLException {
        return countOnEveryShard(REGISTRATIONS);
    }

    /** Follow sagas between their first step and their end: {@code IN_FLIGHT} → rows of {@code follow_sagas}. */
    public Map<String, Long> follows() throws SQLException {
        return countOnEveryShard(FOLLOWS);
    }

    /** Account deletions not yet DONE, by state: {@code REQUESTED}. */
    public Map<String, Long> deletions() throws SQLException {
        return countOnEveryShard(DELETIONS);
    }

    private Map<String, Long> countOnEveryShard(String sql) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        for (DataSource shard : shards.all().values()) {
            try (Connection c = shard.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
                s.setQueryTimeout(timeoutSeconds);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        counts.merge(rs.getString(1), rs.getLong(2), Long::sum);
                    }
                }
            }
        }
        return counts;
    }
}
