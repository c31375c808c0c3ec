package io.chirp.platform.web;

import io.micronaut.serde.annotation.Serdeable;

/**
 * An RFC 9457 problem details document, the body of every error answer
 * ({@code Content-Type: application/problem+json}).
 *
 * @param type   a URI naming the problem type; {@code about:blank} when the status says it all
 * @param title  the status's reason phrase, e.g. {@code Bad Request}
 * @param status the HTTP status code
 * @param detail what went wrong for this request, naming the offending field for a 400;
 *               never a stack trace, SQL or an internal host name
 */
@Serdeable
public record Problem(String type, String title, int status, String detail) {

    /** The media type of a problem document. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
