package io.chirp.platform.web;

import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.exceptions.response.HateoasErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Renders every error answer of a Chirp application as a {@link Problem}. Micronaut routes
 * all error responses (unknown route, unsupported media type, body too large, validation,
 * unhandled exceptions) through one {@link ErrorResponseProcessor}, so errors are mapped once,
 * here, not per endpoint.
 * <p>
 * Server errors (5xx) get a fixed detail and are logged with their cause instead: an
 * exception message may hold SQL or host names, which must not reach a client.
 */
@Singleton
@Replaces(HateoasErrorResponseProcessor.class)
public class ProblemJsonErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemJsonErrorResponseProcessor.class);

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        String title = HttpStatus.valueOf(status).getReason();
        String detail;
        if (status >= 500) {
            context.getRootCause().ifPresent(cause ->
                    LOG.error("{} {} failed", context.getRequest().getMethod(), context.getRequest().getPath(), cause));
            detail = status == 503
                    ? "A dependency of this service is unavailable; retry later."
                    : "The service failed to answer this request.";
        } else {
            detail = context.getErrors().stream().map(ProblemJsonErrorResponseProcessor::describe)
                    .collect(Collectors.joining("; "));
            if (detail.isBlank()) {
                detail = title;
            }
        }
        return response.contentType(MediaType.of(Problem.MEDIA_TYPE))
                .body(new Problem("about:blank", title, status, detail));
    }

    private static String describe(Error error) {
        return error.getPath().map(path -> path + ": " + error.getMessage()).orElse(error.getMessage());
    }
}
