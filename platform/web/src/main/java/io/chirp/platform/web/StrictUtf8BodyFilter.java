package io.chirp.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.filter.ConditionalFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteInfo;

/**
 * Refuses a JSON request body that is not well-formed UTF-8 ({@link StrictUtf8}: overlong forms,
 * encoded surrogates, code points above U+10FFFF, truncated sequences) before it is parsed:
 * 400 problem+json whose detail names the body and the byte offset of the first bad sequence
 * ({@code body: is not valid UTF-8 (byte offset 9)}), through {@link InvalidRequestHandler}
 * like every other invalid input. JSON is UTF-8 only (RFC 8259 §8.1), and the JSON parser under
 * Micronaut Serialization decodes some ill-formed sequences leniently (it reads the overlong
 * {@code C0 AF} as {@code /}), so without this check such bytes would reach the stores as
 * another, valid, text.
 * <p>
 * Only requests whose matched route reads the body ({@code RouteInfo#needsRequestBody}) and whose
 * {@code Content-Type} is {@code application/json}, {@code application/*+json} (merge patch,
 * problem) or absent (Micronaut reads such a body as JSON) are checked: a GET, a body of another
 * type and a path no route of this application serves (the gateway's proxied calls) are not
 * touched. For those it checks, the filter waits for the whole body, as the route would anyway,
 * and reads it through a bounded 8 KiB window: its {@link ByteBody#split() split} of the body shares
 * the request's buffers, so the bytes are not copied, and the server's {@code max-request-size}
 * bounds them (over it, the server's 413). Micronaut's {@code @Body} binding for filter methods
 * was not used: as {@code byte[]} it copies the body, and as {@code ByteBuffer} it claims the body
 * twice in Micronaut 4.10 and fails.
 * <p>
 * Runs after security ({@link ServerFilterPhase#SECURITY}{@code .after()}): a call without a
 * valid token stays a 401 whatever its body, and its body is not waited for.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class StrictUtf8BodyFilter implements Ordered, ConditionalFilter {

    @Override
    public boolean isEnabled(HttpRequest<?> request) {
        return RouteAttributes.getRouteInfo(request).filter(RouteInfo::needsRequestBody).isPresent()
                && request.getContentType().map(StrictUtf8BodyFilter::isJson).orElse(true);
    }

    /**
     * Waits for the whole body, then checks it. The filter reads its own {@link ByteBody#split()
     * split} of the body, as Micronaut's {@code @Body} binding for filters does; the route reads
     * the original.
     *
     * @return completes empty (the request goes on), or fails with {@link InvalidRequestException}
     *         (field {@code body}) when the body is not well-formed UTF-8, or with the server's
     *         413 when the body is over {@code micronaut.server.max-request-size}
     */
    @RequestFilter
    // Optional.empty(), not null, means "go on": in Micronaut 4.10 a stage that completes with
    // null after the method returned (the body still arriving) ends the request with a bare 503
    public CompletionStage<Optional<HttpResponse<?>>> requireUtf8(HttpRequest<?> request) {
        if (!(request instanceof ServerHttpRequest<?> server)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return server.byteBody().split(ByteBody.SplitBackpressureMode.FASTEST).buffer()
                .thenApply(StrictUtf8BodyFilter::check);
    }

    private static Optional<HttpResponse<?>> check(CloseableAvailableByteBody body) {
        OptionalLong malformed;
        try (body; InputStream in = body.toInputStream()) {
            malformed = StrictUtf8.malformedAt(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the body is in memory by now: not expected
        }
        if (malformed.isPresent()) {
            throw new InvalidRequestException("body", "is not valid UTF-8 (byte offset " + malformed.getAsLong() + ")");
        }
        return Optional.empty();
    }

    /** {@code application/json} or a structured syntax suffix {@code +json} (RFC 6839 §3.1). */
    static boolean isJson(MediaType type) {
        return "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype())
                    || type.getSubtype().toLowerCase(Locale.ROOT).endsWith("+json"));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
