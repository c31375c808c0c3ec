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

    /** Attempts of a transaction that PostgreSQL aborted as a deadlock victim or a serialization failure. */
    static final int ATTEMPTS = 3;

    /**
     * Runs {@code work} in one transaction: commit on return, rollback on any exception. A
     * transaction aborted as a deadlock victim ({@code 40P01}) or by a serialization failure
     * ({@code 40001}) is retried, up to {@value #ATTEMPTS} attempts in all, so {@code work}
     * must not have effects outside the database.
     */
    public static <T> T inTransaction(DataSource dataSource, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(dataSource, work);
            } catch (ShardUnavailableException e) {
                String state = e.getCause() instanceof SQLException sql ? sql.getSQLState() : null;
                boolean retryable = "40P01".equals(state) || "40001".equals(state);
                if (!retryable || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static <T> T once(DataSource dataSource, Work<T> work) {
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

    /**
     * A read in auto-commit mode. A read on a replica ({@link ShardedDataSources#forRead}) that
     * fails because the replica went away is done once more on the primary.
     */
    public static <T> T read(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            DataSource primary = StaleTolerantRead.primaryAfter(dataSource, e);
            if (primary == null) {
                throw new ShardUnavailableException(e);
            }
            try (Connection connection = primary.getConnection()) {
                return work.apply(connection);
            } catch (SQLException onPrimary) {
                onPrimary.addSuppressed(e);
                throw new ShardUnavailableException(onPrimary);
            }
        }
    }

    /**
     * True when {@code failure} itself (not its causes) says a shard is down or overloaded, so the
     * same work will succeed later: a connection failure (SQLState class {@code 08}, and the
     * pool's {@link java.sql.SQLTransientConnectionException} when no connection came in time),
     * the server shutting down or starting ({@code 57P}), out of resources ({@code 53}). False for
     * an error of the statement itself (a constraint, a syntax error), which a retry only repeats.
     * Codes: PostgreSQL, Appendix A "Error Codes".
     */
    public static boolean isOutage(Throwable failure) {
        if (failure instanceof java.sql.SQLTransientConnectionException) {
            return true;
        }
        if (failure instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53");
        }
        return false;
    }

    /** A database of the sharded store failed or refused the statement. */
    public static final class ShardUnavailableException extends RuntimeException {
        public ShardUnavailableException(SQLException cause) {
            super("a PostgreSQL shard failed: " + cause.getSQLState(), cause);
        }
    }
}
