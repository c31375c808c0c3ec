package io.chirp.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

@RealEngines(Engine.POSTGRES)
class PostgresShardsIT {

    @Test
    void eachPhysicalShardKeepsItsOwnRowInItsOwnSchema() throws Exception {
        SharedEngines engines = SharedEngines.get();
        assertNotEquals(engines.jdbcUrl(0), engines.jdbcUrl(1), "two physical shards");
        String schema = TestNames.unique("it");
        for (int shard = 0; shard < 2; shard++) {
            try (Connection c = DriverManager.getConnection(engines.jdbcUrl(shard), "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                s.execute("CREATE TABLE " + schema + ".probe (shard int PRIMARY KEY, note text)");
                s.execute("INSERT INTO " + schema + ".probe VALUES (" + shard + ", 'on shard " + shard + "')");
            }
        }
        for (int shard = 0; shard < 2; shard++) {
            try (Connection c = DriverManager.getConnection(engines.jdbcUrl(shard), "postgres", "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT shard, note, current_setting('server_version_num')::int"
                         + " FROM " + schema + ".probe")) {
                rs.next();
                assertEquals(shard, rs.getInt(1), "each shard holds only its own row");
                assertEquals("on shard " + shard, rs.getString(2));
                assertEquals(17, rs.getInt(3) / 10000, "PostgreSQL 17");
                assertEquals(false, rs.next());
            }
        }
    }
}
