package io.chirp.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;

@RealEngines(Engine.CASSANDRA)
class CassandraEngineIT {

    @Test
    void lightweightTransactionAppliesOnlyOnce() {
        SharedEngines engines = SharedEngines.get();
        String[] hostPort = engines.cassandraContactPoint().split(":");
        String keyspace = TestNames.unique("it");
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
                .withLocalDatacenter(engines.cassandraDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(10))
                        .build())
                .build()) {
            session.execute("CREATE KEYSPACE " + keyspace
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE " + keyspace + ".likes_by_tweet (tweet_id bigint, user_id bigint,"
                    + " PRIMARY KEY (tweet_id, user_id))");
            String insert = "INSERT INTO " + keyspace + ".likes_by_tweet (tweet_id, user_id) VALUES (1, 2) IF NOT EXISTS";
            assertTrue(session.execute(insert).wasApplied(), "first claim applies");
            assertFalse(session.execute(insert).wasApplied(), "second claim is refused");
            assertEquals(1L, session.execute("SELECT count(*) FROM " + keyspace + ".likes_by_tweet WHERE tweet_id = 1")
                    .one().getLong(0));
        }
    }
}
