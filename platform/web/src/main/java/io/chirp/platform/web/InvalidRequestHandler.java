package io.chirp.platform.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** {@link InvalidRequestException} → 400 problem+json naming the field. */
@Singleton
@Produces
public class InvalidRequestHandler implements ExceptionHandler<InvalidRequestException, HttpResponse<?>> {

    private final ErrorResponseProcessor<?> errors;

    public InvalidRequestHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, InvalidRequestException exception) {
        return errors.processResponse(ErrorContext.builder(request).cause(exception)
                .errorMessage(exception.getMessage()).build(), HttpResponse.badRequest());
    }
}
