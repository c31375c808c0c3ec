package io.chirp.platform.database;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.chirp.platform.database.move.PersistedShardMap;
import io.chirp.platform.sharding.CircuitBreakingDataSource;
import io.chirp.platform.sharding.LogicalShardFences;
import io.chirp.platform.sharding.ReadRouting;
import io.chirp.platform.sharding.Replica;
import io.chirp.platform.sharding.ReplicaMonitor;
import io.chirp.platform.sharding.ShardMap;
import io.chirp.platform.sharding.ShardedDataSources;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Singleton;

/**
 * Builds the service's {@link ShardedDataSources}: the shard map of {@code chirp.shards} over
 * the datasources named in {@code datasources.*} (the primaries, migrated by Flyway), each
 * behind its circuit breaker, plus a read-only pool per replica configured in
 * {@code chirp.replicas.urls}, also behind a breaker. The breakers' state is published as
 * {@code resilience4j_circuitbreaker_state{name="db-shard0"|"db-shard0-replica",...}}.
 */
@Factory
public class ShardingFactory {

    /** Pools this factory opened (the replicas'), closed when the application stops. */
    @Bean(preDestroy = "close")
    @Singleton
    ReplicaPools replicaPools(ReplicaProperties replicas, BeanContext beans, MeterRegistry meters) {
        Map<String, DataSource> primaries = primaries(beans);
        Map<String, HikariDataSource> pools = new LinkedHashMap<>();
        replicas.urlsOrEmpty().forEach((name, url) -> {
            if (!primaries.containsKey(name)) {
                throw new IllegalArgumentException("chirp.replicas.urls names '" + name + "', which is not a datasource");
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName(name + "-replica");
            config.setJdbcUrl(url);
            if (primaries.get(name) instanceof HikariDataSource primary) {
                config.setUsername(primary.getUsername());
                config.setPassword(primary.getPassword());
            }
            config.setReadOnly(true);
            config.setMaximumPoolSize(replicas.poolSize());
            config.setConnectionTimeout(replicas.connectionTimeout().toMillis());
            // a replica that is down at start is out of rotation, not a failed start
            config.setInitializationFailTimeout(-1);
            config.setMetricRegistry(meters);
            pools.put(name, new HikariDataSource(config));
        });
        return new ReplicaPools(pools);
    }

    @Singleton
    ShardedDataSources shardedDataSources(ShardsProperties shards, DatabaseBreakerProperties breakerSettings,
                                          ReplicaPools replicaPools, ReadRouting routing, BeanContext beans,
                                          MeterRegistry meters) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(breakerConfig(breakerSettings));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);

        Map<String, DataSource> primaries = new LinkedHashMap<>();
        primaries(beans).forEach((name, pool) -> primaries.put(name,
                guarded(breakerSettings, breakers, "db-" + name, pool)));
        Map<String, Replica> replicas = new LinkedHashMap<>();
        replicaPools.pools().forEach((name, pool) -> replicas.put(name,
                new Replica(name, guarded(breakerSettings, breakers, "db-" + name + "-replica", pool))));

        ShardMap map = ShardMap.parseEntries(shards.ranges(), shards.overridesOrEmpty(), primaries.keySet());
        // logical shards moved by ./chirp shards move win over the configuration (docs/adr/0008-online-shard-move.md)
        map = PersistedShardMap.load(map, primaries);
        return new ShardedDataSources(map, primaries, replicas, new LogicalShardFences(shards.fenceWait()), routing);
    }

    @Singleton
    ReplicaMonitor replicaMonitor(ShardedDataSources shards, ReplicaProperties settings) {
        Duration bound = settings.maxLag().plus(settings.refreshInterval());
        if (!shards.replicas().isEmpty() && settings.readYourWritesWindow().compareTo(bound) <= 0) {
            throw new IllegalArgumentException("chirp.replicas.read-your-writes-window (" + settings.readYourWritesWindow()
                    + ") must exceed max-lag + refresh-interval (" + bound + "), the most a replica in rotation lags");
        }
        return new ReplicaMonitor(shards.all(), shards.replicas(), settings.maxLag(), System::nanoTime);
    }

    private static DataSource guarded(DatabaseBreakerProperties settings, CircuitBreakerRegistry breakers, String name,
                                      DataSource pool) {
        return settings.enabled() ? new CircuitBreakingDataSource(pool, breakers.circuitBreaker(name)) : pool;
    }

    private static CircuitBreakerConfig breakerConfig(DatabaseBreakerProperties settings) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .build();
    }

    /** The primaries: every datasource bean, by name. */
    static Map<String, DataSource> primaries(BeanContext beans) {
        Map<String, DataSource> dataSources = new LinkedHashMap<>();
        // the configured datasources (datasources.<name>), not the DataSource registrations: an
        // unqualified lookup of a DataSource anywhere leaves a registration named "Primary" behind
        List<String> names = beans.getBeansOfType(DatasourceConfiguration.class).stream()
                .map(DatasourceConfiguration::getName)
                .sorted()
                .toList();
        for (String name : names) {
            dataSources.put(name, beans.getBean(DataSource.class, Qualifiers.byName(name)));
        }
        return dataSources;
    }

    /** The replica pools this factory opened. */
    public record ReplicaPools(Map<String, HikariDataSource> pools) implements AutoCloseable {
        @Override
        public void close() {
            pools.values().forEach(HikariDataSource::close);
        }
    }
}
