package io.chirp.user.store;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.chirp.platform.web.DependencyUnavailableException;

/**
 * Local transactions on one physical database. Sagas span databases; a transaction never does.
 */
final class Jdbc {

    private Jdbc() {
    }

    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction: commit on return, rollback on any exception. */
    static <T> T inTransaction(DataSource dataSource, Work<T> work) {
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
            throw new StoreException(e);
        }
    }

    /** A read without an explicit transaction. */
    static <T> T read(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** A database failure; answered as 503 without its message (which may hold SQL). */
    static final class StoreException extends DependencyUnavailableException {
        StoreException(SQLException cause) {
            super("PostgreSQL", cause);
        }
    }
}
