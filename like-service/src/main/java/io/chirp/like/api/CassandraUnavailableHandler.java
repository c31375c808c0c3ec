package io.chirp.like.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.datastax.oss.driver.api.core.DriverException;

import io.chirp.like.store.CassandraOutages;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Cassandra down or unable to answer → 503 problem+json with {@code Retry-After: 1}, as for any
 * other store outage ({@link CassandraOutages#isOutage}). Any other driver error is a bug and
 * stays a 500. The cause is logged, never sent. (Found by the fault-injection suite: with Cassandra
 * stopped, likes and like listings answered 500.)
 */
@Singleton
class CassandraUnavailableHandler implements ExceptionHandler<DriverException, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraUnavailableHandler.class);

    private final ErrorResponseProcessor<?> errors;

    CassandraUnavailableHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, DriverException e) {
        if (CassandraOutages.isOutage(e)) {
            LOG.warn("{} {}: Cassandra is unavailable: {}", request.getMethodName(), request.getPath(), e.toString());
            return errors.processResponse(ErrorContext.builder(request).cause(e)
                            .errorMessage("the likes store is unavailable; retry shortly").build(),
                    HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1"));
        }
        LOG.error("{} {} failed", request.getMethodName(), request.getPath(), e);
        return errors.processResponse(ErrorContext.builder(request).cause(e).build(),
                HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR));
    }
}
