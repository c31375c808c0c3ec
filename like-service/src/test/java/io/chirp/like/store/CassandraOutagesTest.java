package io.chirp.like.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;

/** Which Cassandra driver errors are an outage (503, retried by consumers) and which a bug. */
class CassandraOutagesTest {

    @Test
    void noNodeAndTimeoutsAreAnOutage() {
        assertTrue(CassandraOutages.isOutage(new NoNodeAvailableException()));
        assertTrue(CassandraOutages.isOutage(new DriverTimeoutException("query timed out after PT2S")));
    }

    @Test
    void aBadQueryIsABug() {
        assertFalse(CassandraOutages.isOutage(new SyntaxError(null, "line 1: no viable alternative")));
    }
}
