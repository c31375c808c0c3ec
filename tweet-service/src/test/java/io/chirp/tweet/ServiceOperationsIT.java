package io.chirp.tweet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.OperationsContract;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.tweet.store.TweetPartitions;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

@RealEngines({Engine.POSTGRES, Engine.KAFKA})
@MicronautTest
class ServiceOperationsIT extends OperationsContract {

    @Inject
    EmbeddedServer server;

    @Inject
    TweetPartitions partitions;

    @Override
    protected URI baseUrl() {
        return server.getURI();
    }

    @Override
    protected String serviceName() {
        return "tweet-service";
    }

    @Override
    protected Set<String> storeHealthComponents() {
        return Set.of("jdbc", "kafka");
    }

    @Test
    void flywayMigratedEveryPhysicalShard() throws Exception {
        for (int shard = 0; shard < 2; shard++) {
            assertEquals(Set.of("1", "2", "3", "4", "20"), strings(shard,
                    "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"), "shard " + shard);
        }
    }

    @Test
    void tweetsHaveMonthlyPartitionsFromThisMonthToThreeMonthsAheadOnEveryShard() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i <= 3; i++) {
            expected.add(String.format("tweets_%04d_%02d", now.plusMonths(i).getYear(), now.plusMonths(i).getMonthValue()));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int shard = 0; shard < 2; shard++) {
                assertTrue(partitionsOf(shard).containsAll(expected), "shard " + shard + ": " + partitionsOf(shard));
            }
        });
    }

    @Test
    void creatingPartitionsAheadIsIdempotent() throws Exception {
        YearMonth later = YearMonth.now(ZoneOffset.UTC).plusMonths(14);
        String name = String.format("tweets_%04d_%02d", later.getYear(), later.getMonthValue());
        assertEquals(List.of(name), partitions.ensure(later, 0));
        assertEquals(List.of(name), partitions.ensure(later, 0), "a second run changes nothing and does not fail");
        for (int shard = 0; shard < 2; shard++) {
            assertTrue(partitionsOf(shard).contains(name));
        }
    }

    private static Set<String> partitionsOf(int shard) throws Exception {
        return strings(shard, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'tweets'");
    }

    private static Set<String> strings(int shard, String sql) throws Exception {
        Set<String> values = new HashSet<>();
        try (Connection c = DriverManager.getConnection(SharedEngines.get().jdbcUrl(shard), "postgres", "");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** Beside the latency buckets: consumer lag and the outbox backlog per shard. */
    @Override
    protected List<String> dashboardSeries() {
        List<String> series = super.dashboardSeries();
        series.addAll(List.of(
                "^kafka_consumer_records_lag_max_records\\{.*\\} ",
                "^chirp_outbox_backlog\\{shard=\"shard0\"\\} \\d",
                "^chirp_outbox_backlog\\{shard=\"shard1\"\\} \\d"));
        return series;
    }
}
