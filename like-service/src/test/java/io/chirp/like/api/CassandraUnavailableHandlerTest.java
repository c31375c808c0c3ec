package io.chirp.like.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;

/** Which Cassandra driver errors are an outage (503) and which a bug (500). */
class CassandraUnavailableHandlerTest {

    @Test
    void noNodeAndTimeoutsAreAnOutage() {
        assertTrue(CassandraUnavailableHandler.isUnavailable(new NoNodeAvailableException()));
        assertTrue(CassandraUnavailableHandler.isUnavailable(new DriverTimeoutException("query timed out after PT2S")));
    }

    @Test
    void aBadQueryIsABug() {
        assertFalse(CassandraUnavailableHandler.isUnavailable(new SyntaxError(null, "line 1: no viable alternative")));
    }
}
