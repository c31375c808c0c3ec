package io.chirp.tweet.config;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.chirp.platform.sharding.ShardMap;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Singleton;

/** The shard map of {@code chirp.shards} over the datasources named in {@code datasources.*}. */
@Factory
class ShardingFactory {

    @Singleton
    ShardedDataSources shardedDataSources(ShardsProperties properties, BeanContext beans) {
        Map<String, DataSource> dataSources = new HashMap<>();
        for (var registration : beans.getBeanRegistrations(DataSource.class)) {
            String name = registration.getIdentifier().getName();
            dataSources.put(name, beans.getBean(DataSource.class, Qualifiers.byName(name)));
        }
        return new ShardedDataSources(
                ShardMap.parseEntries(properties.ranges(), properties.overridesOrEmpty(), dataSources.keySet()),
                dataSources);
    }
}
