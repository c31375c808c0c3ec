package io.chirp.platform.sharding;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Local transactions on one physical database. A saga spans databases; a transaction never
 * does. Failures surface as {@link ShardUnavailableException}, which services answer with 503
 * and never with the SQL message.
 */
public final class ShardJdbc {

    private ShardJdbc() {
    }

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction: commit on return, rollback on any exception. */
    public static <T> T inTransaction(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ShardUnavailableException(e);
        }
    }

    /** A read in auto-commit mode. */
    public static <T> T read(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new ShardUnavailableException(e);
        }
    }

    /** A database of the sharded store failed or refused the statement. */
    public static final class ShardUnavailableException extends RuntimeException {
        public ShardUnavailableException(SQLException cause) {
            super("a PostgreSQL shard failed: " + cause.getSQLState(), cause);
        }
    }
}
