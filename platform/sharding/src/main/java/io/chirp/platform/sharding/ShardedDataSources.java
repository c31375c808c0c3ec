package io.chirp.platform.sharding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

/**
 * The one place a service turns an id, or a claim's value, into a physical database:
 * logical shard (from the id's 13 shard bits, or from the value's hash) → {@link ShardMap} →
 * the {@link DataSource} of that name.
 *
 * <ul>
 *   <li><b>Writes and reads that must be current</b> ({@link #forId}, {@link #forKey}) go to the
 *       primary, through the logical shard's write fence ({@link LogicalShardFences}), which a
 *       shard move raises for its brief switch.</li>
 *   <li><b>Reads that tolerate staleness</b> ({@link #forRead}, {@link #forReadOn}: profiles,
 *       follower lists, user timelines, batch reads) go to the physical database's replica
 *       while it is in rotation ({@link ReplicaMonitor}) and the caller is not pinned to the
 *       primary by a recent write of their own ({@link ReadRouting}); otherwise to the primary.</li>
 *   <li>The map can be switched while the service runs ({@link #switchMap}); every call reads
 *       the current one.</li>
 * </ul>
 */
public final class ShardedDataSources {

    /** How long work on a fenced logical shard waits when the caller does not say. */
    public static final Duration DEFAULT_FENCE_WAIT = Duration.ofSeconds(5);

    private final AtomicReference<ShardMap> map;
    private final Map<String, DataSource> primaries;
    private final Map<String, Replica> replicas;
    private final LogicalShardFences fences;
    private final ReadRouting routing;
    private final ReadCounts readCounts = new ReadCounts();

    /** Primaries only: no replicas, fences waiting {@link #DEFAULT_FENCE_WAIT}. */
    public ShardedDataSources(ShardMap map, Map<String, DataSource> primaries) {
        this(map, primaries, Map.of(), new LogicalShardFences(DEFAULT_FENCE_WAIT), ReadRouting.REPLICAS_WHEN_IN_ROTATION);
    }

    /**
     * @param map       logical shard → physical name
     * @param primaries physical name → its primary's pool; must hold every name the map uses
     * @param replicas  physical name → its replica, for the databases that have one
     * @param fences    the logical shards' write fences
     * @param routing   whether the current caller must read the primary
     * @throws IllegalArgumentException when the map names a database that has no pool, or a
     *                                  replica replicates an unknown database
     */
    public ShardedDataSources(ShardMap map, Map<String, DataSource> primaries, Map<String, Replica> replicas,
                              LogicalShardFences fences, ReadRouting routing) {
        this.primaries = Map.copyOf(primaries);
        this.replicas = Map.copyOf(replicas);
        this.fences = Objects.requireNonNull(fences, "fences");
        this.routing = Objects.requireNonNull(routing, "routing");
        requireKnown(map);
        for (String name : this.replicas.keySet()) {
            if (!this.primaries.containsKey(name)) {
                throw new IllegalArgumentException("a replica of '" + name + "', which has no datasource");
            }
        }
        this.map = new AtomicReference<>(map);
    }

    private void requireKnown(ShardMap candidate) {
        for (String name : candidate.physicalNames()) {
            if (!primaries.containsKey(name)) {
                throw new IllegalArgumentException("the shard map names database '" + name + "', which has no datasource");
            }
        }
    }

    /** The primary holding rows keyed by this id (a user's rows, or a tweet co-located with its author). */
    public DataSource forId(long chirpId) {
        return fencedPrimary(ChirpId.logicalShard(chirpId));
    }

    /** The primary holding a uniqueness claim on a lower-cased key ({@link LogicalShards#forKey}). */
    public DataSource forKey(String normalizedKey) {
        return fencedPrimary(LogicalShards.forKey(normalizedKey));
    }

    private DataSource fencedPrimary(int logical) {
        return new FencedDataSource(primaries.get(map.get().physicalFor(logical)),
                () -> primaries.get(map.get().physicalFor(logical)), fences, logical);
    }

    /**
     * Where to read rows keyed by this id when the read tolerates staleness: the replica while
     * it is in rotation and the caller is not pinned to the primary, else the primary.
     */
    public DataSource forRead(long chirpId) {
        int logical = ChirpId.logicalShard(chirpId);
        return new FencedRead(new FencedDataSource(primaries.get(map.get().physicalFor(logical)),
                () -> reader(map.get().physicalFor(logical)), fences, logical), logical);
    }

    /** A fenced stale-tolerant read: after a replica outage, once more on the (fenced) primary. */
    private final class FencedRead extends ForwardingDataSource implements StaleTolerantRead {
        private final int logical;

        FencedRead(DataSource fenced, int logical) {
            super(fenced);
            this.logical = logical;
        }

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            return delegate.getConnection();
        }

        @Override
        public DataSource primaryAfterReplicaFailure() {
            Replica replica = replicas.get(map.get().physicalFor(logical));
            if (replica == null) {
                return null;
            }
            replica.takeOutOfRotation();
            readCounts.primary.increment();
            return fencedPrimary(logical);
        }
    }

    /**
     * Where to read from one physical database when the read tolerates staleness (a batch read
     * grouped by {@link #groupByPhysical}), as {@link #forRead}; not fenced.
     */
    public DataSource forReadOn(String physical) {
        return reader(physical);
    }

    private DataSource reader(String physical) {
        Replica replica = replicas.get(physical);
        if (replica != null && replica.inRotation() && routing.mayReadReplica(physical, replica.replayedLsn())) {
            return new ReplicaFirstDataSource(replica, primaries.get(physical), readCounts);
        }
        readCounts.primary.increment();
        return primaries.get(physical);
    }

    /** The physical name holding rows keyed by this id. */
    public String physicalNameOf(long chirpId) {
        return map.get().physicalForId(chirpId);
    }

    /** Every physical database's primary, by name (not fenced: sweeps over whole databases). */
    public Map<String, DataSource> all() {
        return primaries;
    }

    /** The replicas, by the name of the database each one replicates. */
    public Map<String, Replica> replicas() {
        return replicas;
    }

    /** The current shard map. */
    public ShardMap map() {
        return map.get();
    }

    /**
     * Switches to {@code next} (after a logical shard moved): calls from now on route by it.
     *
     * @throws IllegalArgumentException when {@code next} names a database that has no pool
     */
    public void switchMap(ShardMap next) {
        requireKnown(next);
        map.set(next);
    }

    /** The logical shards' write fences. */
    public LogicalShardFences fences() {
        return fences;
    }

    /** How many stale-tolerant reads went to a replica and how many to a primary, since start. */
    public ReadCounts readCounts() {
        return readCounts;
    }

    /**
     * Ids grouped by the database that holds them, keeping their order within a group: one
     * query per database instead of one per id.
     */
    public Map<String, List<Long>> groupByPhysical(Collection<Long> ids) {
        ShardMap current = map.get();
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        for (long id : ids) {
            groups.computeIfAbsent(current.physicalForId(id), k -> new ArrayList<>()).add(id);
        }
        return groups;
    }

    /** Counters of where stale-tolerant reads went. */
    public static final class ReadCounts {
        final LongAdder replica = new LongAdder();
        final LongAdder primary = new LongAdder();

        public long toReplica() {
            return replica.sum();
        }

        public long toPrimary() {
            return primary.sum();
        }
    }
}
