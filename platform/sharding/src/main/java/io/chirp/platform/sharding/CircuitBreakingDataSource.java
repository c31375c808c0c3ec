package io.chirp.platform.sharding;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One physical database (a primary or a replica) behind a circuit breaker on
 * {@link #getConnection()}: when the database is down, the first callers wait for the pool's
 * connection timeout and fail; once the breaker has seen enough of those it opens, and every
 * caller fails at once with {@link SQLTransientConnectionException} (SQLState {@code 08001},
 * answered 503 through {@link ShardJdbc.ShardUnavailableException}) instead of holding a
 * request thread for the whole timeout. After the breaker's wait it lets a few probes through
 * (half-open) and closes when they succeed.
 *
 * <p>Only outages count as failures ({@link ShardJdbc#isOutage}); a statement's own error
 * happens after the connection was handed out and never reaches the breaker. The breaker is
 * per database, so a dead shard cannot trip the breaker of a healthy one.
 */
public final class CircuitBreakingDataSource extends ForwardingDataSource {

    private final CircuitBreaker breaker;

    /**
     * @param delegate the pool of one database
     * @param breaker  that database's breaker (Resilience4j; its name shows in the metrics)
     */
    public CircuitBreakingDataSource(DataSource delegate, CircuitBreaker breaker) {
        super(delegate);
        this.breaker = breaker;
    }

    /** This database's breaker. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            breaker.acquirePermission();
        } catch (CallNotPermittedException open) {
            throw new SQLTransientConnectionException("circuit breaker " + breaker.getName()
                    + " is open: the database failed recently; retry later", "08001", open);
        }
        long start = System.nanoTime();
        try {
            Connection connection = delegate.getConnection();
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return connection;
        } catch (SQLException | RuntimeException e) {
            if (ShardJdbc.isOutage(e)) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            } else {
                breaker.releasePermission();
            }
            throw e;
        }
    }
}
