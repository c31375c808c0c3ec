package io.chirp.gateway.routing;

import java.util.List;

import org.reactivestreams.Publisher;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.token.validator.TokenValidator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checks bearer tokens at the edge, against user-service's JWKS (no shared secret): a request
 * whose token is expired, tampered with, unsigned ({@code alg: none}) or signed by another key
 * is answered 401 here and never reaches a service. Requests without a token pass on: public
 * reads need none, and each service still verifies tokens and decides what requires one.
 * <p>
 * The validators are Micronaut Security's, behind platform/web's cache of verified tokens
 * ({@code io.chirp.platform.web.security.VerifiedTokenCache}): a token is verified once, then
 * served from the cache until its {@code exp}, here and in the security filter that checks it
 * again after this one.
 */
@Filter("/api/v1/**")
class EdgeTokenFilter implements HttpServerFilter {

    private final List<TokenValidator<HttpRequest<?>>> validators;
    private final ErrorResponseProcessor<?> errors;

    EdgeTokenFilter(List<TokenValidator<HttpRequest<?>>> validators, ErrorResponseProcessor<?> errors) {
        this.validators = validators;
        this.errors = errors;
    }

    /**
     * First of the gateway's own filters, just inside tracing (so a refused token is a traced
     * request too) and after CORS.
     */
    @Override
    public int getOrder() {
        return ServerFilterPhase.TRACING.after() + 100;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        String authorization = request.getHeaders().getAuthorization().orElse(null);
        if (authorization == null) {
            return chain.proceed(request);
        }
        if (!authorization.startsWith("Bearer ")) {
            return Mono.just(unauthorized(request, "the Authorization header is not a bearer token"));
        }
        String token = authorization.substring("Bearer ".length()).trim();
        return Flux.fromIterable(validators)
                .concatMap(validator -> Flux.from(validator.validateToken(token, request)).onErrorResume(e -> Mono.empty()))
                .next()
                .<MutableHttpResponse<?>>flatMap(authentication -> Mono.from(chain.proceed(request)))
                .switchIfEmpty(Mono.fromSupplier(() -> unauthorized(request, "the bearer token is invalid or expired")));
    }

    private MutableHttpResponse<?> unauthorized(HttpRequest<?> request, String why) {
        return errors.processResponse(ErrorContext.builder(request).errorMessage(why).build(),
                HttpResponse.status(HttpStatus.UNAUTHORIZED)).header("WWW-Authenticate", "Bearer");
    }
}
