package io.chirp.like.store;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;

/** Which Cassandra driver errors mean the store is down (and will pass), as opposed to a bad query. */
public final class CassandraOutages {

    private CassandraOutages() {
    }

    /**
     * True for an outage: no node reachable ({@link AllNodesFailedException}, which
     * {@code NoNodeAvailableException} is), the driver's request timeout, or too few replicas
     * ({@link UnavailableException}, read/write timeouts). False for anything else (a syntax or
     * invalid-query error is a bug).
     */
    public static boolean isOutage(DriverException e) {
        return e instanceof AllNodesFailedException || e instanceof DriverTimeoutException
                || e instanceof QueryConsistencyException || e instanceof UnavailableException;
    }
}
