package io.chirp.gateway.cors;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.reactivestreams.Publisher;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import reactor.core.publisher.Mono;

/**
 * CORS at the front door, for the browser origins in {@code CHIRP_CORS_ORIGINS} (comma-separated,
 * exact match of scheme, host and port; default {@code http://localhost:3000}) and no other.
 * <ul>
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and
 *       {@code Access-Control-Request-Method}) from an allowed origin is answered here with 204 and
 *       the allowed methods and headers; from any other origin with 403 and no CORS header.</li>
 *   <li>Any other request with an allowed {@code Origin} gets {@code Access-Control-Allow-Origin}
 *       and the headers a client may read exposed; other origins get nothing (the browser then
 *       hides the answer).</li>
 * </ul>
 * Written here rather than with {@code micronaut.server.cors} because Micronaut answers a
 * preflight only for a path some route of the application serves, and the gateway's
 * {@code /api/v1/**} is served by a filter ({@code RoutingFilter}), not routes.
 */
@Filter("/api/v1/**")
final class CorsFilter implements HttpServerFilter {

    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Request-Id";
    static final String EXPOSED_HEADERS = "Location, Retry-After, X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining";

    private final Set<String> origins;

    CorsFilter(@Value("${chirp.gateway.cors.allowed-origins}") String origins) {
        this.origins = Arrays.stream(origins.split(",")).map(String::strip).filter(o -> !o.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Before the token check and the rate limit: a preflight carries neither token nor body. */
    @Override
    public int getOrder() {
        return -300;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        Optional<String> origin = request.getHeaders().findFirst("Origin");
        if (origin.isEmpty()) {
            return chain.proceed(request);
        }
        boolean allowed = origins.contains(origin.get());
        if (request.getMethod() == HttpMethod.OPTIONS && request.getHeaders().contains("Access-Control-Request-Method")) {
            if (!allowed) {
                return Mono.just(HttpResponse.status(io.micronaut.http.HttpStatus.FORBIDDEN));
            }
            return Mono.just(HttpResponse.noContent()
                    .header("Access-Control-Allow-Origin", origin.get())
                    .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
                    .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                    .header("Access-Control-Max-Age", "600")
                    .header("Vary", "Origin"));
        }
        if (!allowed) {
            return chain.proceed(request);
        }
        return Mono.from(chain.proceed(request)).map(response -> response
                .header("Access-Control-Allow-Origin", origin.get())
                .header("Access-Control-Expose-Headers", EXPOSED_HEADERS)
                .header("Vary", "Origin"));
    }
}
