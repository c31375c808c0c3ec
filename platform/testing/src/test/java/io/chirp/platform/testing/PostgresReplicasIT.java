package io.chirp.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@RealEngines({Engine.POSTGRES, Engine.POSTGRES_REPLICAS})
class PostgresReplicasIT {

    private final SharedEngines engines = SharedEngines.get();

    @Test
    void eachShardStreamsItsWritesToItsReadOnlyReplica() throws Exception {
        String schema = TestNames.unique("rep");
        for (int shard = 0; shard < 2; shard++) {
            try (Connection primary = DriverManager.getConnection(engines.jdbcUrl(shard), "postgres", "");
                 Statement s = primary.createStatement()) {
                s.execute("CREATE TABLE " + schema + "_" + shard + " (id int PRIMARY KEY)");
                s.execute("INSERT INTO " + schema + "_" + shard + " SELECT generate_series(1, 1000)");
            }
        }
        for (int shard = 0; shard < 2; shard++) {
            String table = schema + "_" + shard;
            try (Connection replica = DriverManager.getConnection(replicaUrl(shard), "postgres", "");
                 Statement s = replica.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "a hot standby");
                }
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(s, table) == 1000);
                SQLException readOnly = assertThrows(SQLException.class, () -> s.execute("INSERT INTO " + table + " VALUES (0)"));
                assertEquals("25006", readOnly.getSQLState(), "read-only transaction");
            }
            try (Connection primary = DriverManager.getConnection(engines.jdbcUrl(shard), "postgres", "");
                 Statement s = primary.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the primary streams to exactly its replica");
            }
        }
    }

    private String replicaUrl(int shard) {
        return engines.replicaJdbcUrl(shard);
    }

    private static long count(Statement s, String table) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException notYetReplayed) {
            return -1;
        }
    }
}
