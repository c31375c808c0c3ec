package io.chirp.like.config;

import java.net.InetSocketAddress;
import java.time.Duration;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The one {@link CqlSession} of the service. Creating the keyspace here is the service's own
 * schema step: nothing outside like-service touches its keyspace.
 */
@Factory
class CassandraSessionFactory {

    @Singleton
    @Bean(preDestroy = "close")
    CqlSession cqlSession(CassandraProperties properties) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT,
                        properties.requestTimeout() == null ? Duration.ofSeconds(10) : properties.requestTimeout())
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, properties.consistency())
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(10))
                .build();
        var builder = CqlSession.builder()
                .withLocalDatacenter(properties.localDatacenter())
                .withConfigLoader(config);
        for (String contactPoint : properties.contactPoints()) {
            int colon = contactPoint.lastIndexOf(':');
            builder.addContactPoint(new InetSocketAddress(contactPoint.substring(0, colon),
                    Integer.parseInt(contactPoint.substring(colon + 1))));
        }
        CqlSession session = builder.build();
        session.execute("CREATE KEYSPACE IF NOT EXISTS " + properties.keyspace()
                + " WITH replication = " + properties.replicationCql());
        return session;
    }
}
