package io.chirp.platform.sharding;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * A stale-tolerant read's database: the replica, or the primary when the replica fails. A
 * replica that gives no connection, or whose statement fails as an outage (it was stopped
 * since the monitor last looked: SQLState 57P01, 08006), is taken out of rotation at once and
 * the read is done again on the primary ({@link StaleTolerantRead}), so a dead replica costs a
 * read some time, never an error.
 */
final class ReplicaFirstDataSource extends ForwardingDataSource implements StaleTolerantRead {

    private final Replica replica;
    private final DataSource primary;
    private final ShardedDataSources.ReadCounts counts;

    ReplicaFirstDataSource(Replica replica, DataSource primary, ShardedDataSources.ReadCounts counts) {
        super(replica.dataSource());
        this.replica = replica;
        this.primary = primary;
        this.counts = counts;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            Connection connection = delegate.getConnection();
            counts.replica.increment();
            return connection;
        } catch (SQLException e) {
            replica.takeOutOfRotation();
            counts.primary.increment();
            return primary.getConnection();
        }
    }

    @Override
    public DataSource primaryAfterReplicaFailure() {
        replica.takeOutOfRotation();
        counts.primary.increment();
        return primary;
    }
}
