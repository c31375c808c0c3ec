package io.chirp.gateway.routing;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.reactivestreams.Publisher;

import io.chirp.platform.web.resilience.CircuitBreakers;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.client.ProxyHttpClient;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.uri.UriBuilder;
import reactor.core.publisher.Mono;

/**
 * The front door: every {@code /api/v1/**} request is proxied, non-blocking, to the service
 * that owns its path ({@link Routes}), carrying the request's {@code X-Request-Id} (set by
 * chirp-web's {@code RequestIdFilter}, which runs first and puts it on the answer too). A service that does not answer in time
 * gives 503 problem+json with {@code Retry-After}, never a hang; so does a service whose circuit
 * breaker is open ({@link CircuitBreakers}, one per service), at once and without calling it.
 * A body whose declared length is over 64 KiB ({@code micronaut.server.max-request-size}) is
 * refused with 413 before any forwarding; the services enforce the same limit on what they read.
 */
@Filter("/api/v1/**")
class RoutingFilter implements HttpServerFilter {

    private final ProxyHttpClient proxy;
    private final Map<String, URI> services;
    private final ErrorResponseProcessor<?> errors;
    private final CircuitBreakers breakers;
    private final Duration timeout;
    private final long maxBody;

    RoutingFilter(ProxyHttpClient proxy, List<ServiceEndpoint> endpoints, ErrorResponseProcessor<?> errors,
                  CircuitBreakers breakers,
                  @Value("${chirp.gateway.route-timeout:10s}") Duration timeout,
                  @Value("${micronaut.server.max-request-size:65536}") long maxBody) {
        this.proxy = proxy;
        this.services = endpoints.stream().collect(Collectors.toMap(ServiceEndpoint::name, ServiceEndpoint::url));
        this.errors = errors;
        this.breakers = breakers;
        this.timeout = timeout;
        this.maxBody = maxBody;
    }

    /**
     * Last of the gateway's filters, inside tracing: the proxied call carries the request's
     * trace ({@code traceparent}) to the service.
     */
    @Override
    public int getOrder() {
        return ServerFilterPhase.TRACING.after() + 300;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        Optional<String> service = Routes.serviceFor(request.getPath()).filter(services::containsKey);
        if (service.isEmpty()) {
            return chain.proceed(request);
        }
        if (request.getContentLength() > maxBody) {
            // the proxy streams bodies, so the server's own limit never sees them whole: refuse here
            MutableHttpResponse<?> tooLarge = errors.processResponse(ErrorContext.builder(request)
                    .errorMessage("the body is over " + maxBody + " bytes").build(),
                    HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE));
            return Mono.just(tooLarge);
        }
        URI base = services.get(service.get());
        // a base URL may carry a path prefix (a service behind another proxy); it is kept
        String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        java.util.function.Consumer<UriBuilder> toService = b -> b.scheme(base.getScheme()).host(base.getHost())
                .port(base.getPort()).replacePath(prefix + request.getPath());
        MutableHttpRequest<?> forwarded;
        try {
            forwarded = request.mutate().uri(toService);
            // internal to the services (a read-model builder asking for the primaries): never from outside
            forwarded.getHeaders().remove(ReadPrimaryHeader.NAME);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // re-building the URI decodes the query string: malformed percent-encoding or bytes
            // that are not UTF-8 (e.g. a lone surrogate, %ED%A0%80) are the client's error
            return Mono.just(errors.processResponse(ErrorContext.builder(request)
                            .errorMessage("query: is not valid percent-encoded UTF-8").build(),
                    HttpResponse.badRequest()));
        }
        return breakers.<MutableHttpResponse<?>>call(service.get(), timeout, () -> proxy.proxy(forwarded))
                .onErrorResume(e -> Mono.just(unavailable(request, e)));
    }

    private MutableHttpResponse<?> unavailable(HttpRequest<?> request, Throwable cause) {
        return errors.processResponse(ErrorContext.builder(request).cause(cause).build(),
                HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1"));
    }

}
