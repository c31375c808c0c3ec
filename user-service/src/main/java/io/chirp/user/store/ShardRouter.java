package io.chirp.user.store;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.sharding.ShardMap;
import io.chirp.user.config.ShardsProperties;
import io.micronaut.context.BeanContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Singleton;

/**
 * The one place that turns a user id, or a claim's value, into a physical database: logical
 * shard (from the id's bits, or from the value's hash) → shard map → the datasource of that
 * name ({@code datasources.<name>}).
 */
@Singleton
public class ShardRouter {

    private final ShardMap map;
    private final Map<String, DataSource> dataSources = new LinkedHashMap<>();

    ShardRouter(ShardsProperties properties, BeanContext beans) {
        Set<String> names = new HashSet<>();
        for (var registration : beans.getBeanRegistrations(DataSource.class)) {
            String name = registration.getIdentifier().getName();
            dataSources.put(name, beans.getBean(DataSource.class, Qualifiers.byName(name)));
            names.add(name);
        }
        this.map = ShardMap.parseEntries(properties.ranges(), properties.overridesOrEmpty(), names);
    }

    /** The database of the user (or of anything keyed by the user: edges, tweets). */
    public DataSource forUser(long userId) {
        return dataSources.get(map.physicalForId(userId));
    }

    /** The database holding the claim on a lower-cased key (username or email). */
    public DataSource forKey(String normalizedKey) {
        return dataSources.get(map.physicalFor(LogicalShards.forKey(normalizedKey)));
    }

    /** Every physical database, by name. */
    public Map<String, DataSource> all() {
        return Map.copyOf(dataSources);
    }

    /** The physical name of a user's database (for tests and diagnostics). */
    public String physicalNameOf(long userId) {
        return map.physicalFor(ChirpId.logicalShard(userId));
    }

    /** Ids grouped by the database that holds them: one query per group, not per id. */
    public Map<DataSource, List<Long>> groupByDatabase(Collection<Long> userIds) {
        Map<DataSource, List<Long>> groups = new LinkedHashMap<>();
        for (long id : userIds) {
            groups.computeIfAbsent(forUser(id), k -> new java.util.ArrayList<>()).add(id);
        }
        return groups;
    }
}
