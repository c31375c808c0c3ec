package io.chirp.platform.web;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.MDC;

/**
 * The request id that follows one client request through the gateway and every service it
 * reaches: the {@code X-Request-Id} header on the wire, the {@code requestId} key in the
 * logging MDC (every log line written while serving the request carries it).
 * <p>
 * A client may choose the id (up to 128 characters of {@code [A-Za-z0-9._:-]}); anything else
 * is replaced by a random UUID, so a header cannot inject text into the logs.
 */
public final class RequestIds {

    /** The HTTP header. */
    public static final String HEADER = "X-Request-Id";
    /** The MDC key (use {@code %X{requestId}} in a logback pattern). */
    public static final String MDC_KEY = "requestId";

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The client's id when acceptable, else a new random one. */
    public static String acceptOrGenerate(Optional<String> fromClient) {
        return fromClient.filter(id -> ACCEPTED.matcher(id).matches()).orElseGet(() -> UUID.randomUUID().toString());
    }

    /** The id of the request being served on this thread, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(MDC.get(MDC_KEY));
    }
}
