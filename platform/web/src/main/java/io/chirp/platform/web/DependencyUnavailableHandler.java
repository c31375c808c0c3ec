package io.chirp.platform.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** {@link DependencyUnavailableException} → 503 problem+json with {@code Retry-After: 1}. */
@Singleton
@Produces
public class DependencyUnavailableHandler implements ExceptionHandler<DependencyUnavailableException, HttpResponse<?>> {

    private final ErrorResponseProcessor<?> errors;

    public DependencyUnavailableHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, DependencyUnavailableException exception) {
        return errors.processResponse(ErrorContext.builder(request).cause(exception).build(),
                HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1"));
    }
}
