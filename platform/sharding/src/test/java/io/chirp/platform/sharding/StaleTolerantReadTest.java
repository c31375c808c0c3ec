package io.chirp.platform.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/**
 * The routing of stale-tolerant reads, over data sources whose connections answer
 * {@link Connection#getSchema()} with their name or fail with a given SQLState (the engines'
 * side of replicas is tested against real PostgreSQL in user-service's ReplicaReadsIT).
 */
class StaleTolerantReadTest {

    private static final long ID = ChirpId.compose(1_000L, 5, 1);

    @Test
    void aReadTheReplicaFailsAsAnOutageIsReadAgainOnThePrimaryAndTheReplicaLeavesRotation() {
        Replica replica = inRotation(new Replica("shard0", named("replica", "57P01")));
        ShardedDataSources shards = shards(replica, ReadRouting.REPLICAS_WHEN_IN_ROTATION);

        assertEquals("primary", ShardJdbc.read(shards.forRead(ID), Connection::getSchema));
        assertFalse(replica.inRotation());
        assertEquals("primary", ShardJdbc.read(shards.forRead(ID), Connection::getSchema), "out of rotation: the primary");
        assertEquals(2, shards.readCounts().toPrimary());
    }

    @Test
    void aReplicaInRotationServesUnlessTheCallerMustReadThePrimary() {
        Replica replica = inRotation(new Replica("shard0", named("replica", null)));
        long[] writtenAt = {-1}; // the caller's write position on shard0, -1: none
        ShardedDataSources shards = shards(replica,
                (physical, replayed) -> physical.equals("shard0") && replayed >= writtenAt[0]);

        assertEquals("replica", ShardJdbc.read(shards.forRead(ID), Connection::getSchema));
        assertEquals("replica", ShardJdbc.read(shards.forReadOn("shard0"), Connection::getSchema));
        writtenAt[0] = 101; // the replica has replayed up to 100
        assertEquals("primary", ShardJdbc.read(shards.forRead(ID), Connection::getSchema), "read-your-writes");
        assertEquals("primary", ShardJdbc.read(shards.forId(ID), Connection::getSchema), "writes: always the primary");
        replica.update(true, 0, 0, 101);
        assertEquals("replica", ShardJdbc.read(shards.forRead(ID), Connection::getSchema), "replayed past the write");
        assertEquals(3, shards.readCounts().toReplica());
    }

    @Test
    void aStatementsOwnErrorOnTheReplicaIsNotRetried() {
        Replica replica = inRotation(new Replica("shard0", named("replica", "42P01")));
        ShardedDataSources shards = shards(replica, ReadRouting.REPLICAS_WHEN_IN_ROTATION);

        ShardJdbc.ShardUnavailableException failure = assertThrows(ShardJdbc.ShardUnavailableException.class,
                () -> ShardJdbc.read(shards.forRead(ID), Connection::getSchema));
        assertEquals("42P01", ((SQLException) failure.getCause()).getSQLState());
        assertTrue(replica.inRotation(), "an undefined table is no reason to leave rotation");
    }

    private static ShardedDataSources shards(Replica replica, ReadRouting routing) {
        ShardMap map = ShardMap.parseEntries(List.of("0-8191: shard0"), List.of(), List.of("shard0"));
        return new ShardedDataSources(map, Map.of("shard0", named("primary", null)), Map.of("shard0", replica),
                new LogicalShardFences(Duration.ofSeconds(1)), routing);
    }

    private static Replica inRotation(Replica replica) {
        replica.update(true, 0, 0, 100);
        return replica;
    }

    /** A data source whose connections say {@code name}, or fail with {@code sqlState} when not null. */
    private static DataSource named(String name, String sqlState) {
        return (DataSource) Proxy.newProxyInstance(StaleTolerantReadTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getConnection" -> Proxy.newProxyInstance(StaleTolerantReadTest.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (c, m, a) -> {
                                if (m.getName().equals("getSchema")) {
                                    if (sqlState != null) {
                                        throw new SQLException(name + " failed", sqlState);
                                    }
                                    return name;
                                }
                                return null;
                            });
                    case "isWrapperFor" -> false;
                    default -> null;
                });
    }
}
