package io.chirp.platform.web;

import java.util.regex.Pattern;
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
        return clientSafe(error.getPath().map(path -> path + ": " + error.getMessage()).orElse(error.getMessage()));
    }

    /** A parser's location suffix: {@code \n at [Source: REDACTED (…); line: 1, column: 12]}. */
    private static final Pattern LOCATION = Pattern.compile("\\s*\\n?\\s*at \\[Source: .*?line: (\\d+), column: (\\d+)\\]",
            Pattern.DOTALL);
    /** Micronaut's binding failure: {@code /limit: Failed to convert argument [limit] for value [x] due to: }. */
    private static final Pattern CONVERSION = Pattern.compile("/?([\\w.]+): Failed to convert argument \\[[^\\]]*\\] for value \\[.*?\\] due to: ",
            Pattern.DOTALL);
    /** A failing body property: {@code Error decoding property [String text] of type [class a.b.C]: }. */
    private static final Pattern PROPERTY = Pattern.compile("Error decoding property \\[(?:[^\\]]* )?([\\w$]+)\\] of type \\[[^\\]]*\\]: ");
    /** A fully qualified Java type name ({@code io.chirp.x.Y$Z}), with its {@code class } prefix. */
    private static final Pattern JAVA_TYPE = Pattern.compile("(?:class |interface )?\\b(?:[a-z_][\\w]*\\.)+[A-Z][\\w$]*");

    /**
     * The detail of a 4xx as a client may read it: the framework's and the JSON parser's messages
     * name the offending field and position, but also Java types and parser internals, which are
     * dropped ({@code /request: Failed to convert argument [request] … Error decoding property
     * [String text] of type [class …]: Invalid UTF-8 start byte 0xff\n at [Source: …; line: 1,
     * column: 12]} becomes {@code text: Invalid UTF-8 start byte 0xff (line 1, column 12)}).
     */
    static String clientSafe(String detail) {
        if (detail == null) {
            return "";
        }
        String safe = LOCATION.matcher(detail).replaceAll(" (line $1, column $2)");
        safe = CONVERSION.matcher(safe).replaceAll("$1: ");
        safe = PROPERTY.matcher(safe).replaceAll("$1: ");
        // the body parameter is called "request" in every controller: a property inside it names itself
        safe = safe.replaceFirst("^/?request: ([\\w$]+): ", "$1: ");
        safe = safe.replace("Required Body [request] not specified", "is required");
        safe = safe.replaceFirst("^/?request: ", "body: ");
        return JAVA_TYPE.matcher(safe).replaceAll("").replaceAll("[ \\t]+", " ").strip();
    }
}
