package io.chirp.platform.sharding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The one place a service turns an id, or a claim's value, into a physical database:
 * logical shard (from the id's 13 shard bits, or from the value's hash) → {@link ShardMap} →
 * the {@link DataSource} of that name. Immutable; a shard move builds a new instance.
 */
public final class ShardedDataSources {

    private final ShardMap map;
    private final Map<String, DataSource> byName;

    /**
     * @param map         logical shard → physical name
     * @param dataSources physical name → its pool; must hold every name the map uses
     * @throws IllegalArgumentException when the map names a database that has no pool
     */
    public ShardedDataSources(ShardMap map, Map<String, DataSource> dataSources) {
        this.map = map;
        this.byName = Map.copyOf(dataSources);
        for (String name : map.physicalNames()) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("the shard map names database '" + name + "', which has no datasource");
            }
        }
    }

    /** The database holding rows keyed by this id (a user's rows, or a tweet co-located with its author). */
    public DataSource forId(long chirpId) {
        return byName.get(map.physicalForId(chirpId));
    }

    /** The database holding a uniqueness claim on a lower-cased key ({@link LogicalShards#forKey}). */
    public DataSource forKey(String normalizedKey) {
        return byName.get(map.physicalFor(LogicalShards.forKey(normalizedKey)));
    }

    /** The physical name holding rows keyed by this id. */
    public String physicalNameOf(long chirpId) {
        return map.physicalForId(chirpId);
    }

    /** Every physical database, by name. */
    public Map<String, DataSource> all() {
        return byName;
    }

    /**
     * Ids grouped by the database that holds them, keeping their order within a group: one
     * query per database instead of one per id.
     */
    public Map<String, List<Long>> groupByPhysical(Collection<Long> ids) {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        for (long id : ids) {
            groups.computeIfAbsent(map.physicalForId(id), k -> new ArrayList<>()).add(id);
        }
        return groups;
    }
}
