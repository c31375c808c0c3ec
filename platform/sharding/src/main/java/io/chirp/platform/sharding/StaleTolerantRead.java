package io.chirp.platform.sharding;

import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * A data source of a stale-tolerant read ({@link ShardedDataSources#forRead},
 * {@link ShardedDataSources#forReadOn}), which may have been served by a replica: when the read
 * fails as an outage, {@link ShardJdbc#read} asks it for the primary and reads once more there,
 * and the replica leaves rotation until the monitor measures it again. A replica stopped since
 * the monitor last looked thus costs a read a retry, never an error.
 */
interface StaleTolerantRead {

    /** The primary to read again after an outage, the replica taken out of rotation; null when there is none. */
    DataSource primaryAfterReplicaFailure();

    /**
     * The primary to read again when {@code failure} of a read on {@code dataSource} was an
     * outage of a stale-tolerant read; null otherwise (a write's or a statement's own failure).
     */
    static DataSource primaryAfter(DataSource dataSource, SQLException failure) {
        if (!ShardJdbc.isOutage(failure)) {
            return null;
        }
        try {
            return dataSource.isWrapperFor(StaleTolerantRead.class)
                    ? dataSource.unwrap(StaleTolerantRead.class).primaryAfterReplicaFailure()
                    : null;
        } catch (SQLException e) {
            return null;
        }
    }
}
