package io.chirp.platform.web.security;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;

import org.reactivestreams.Publisher;

import com.nimbusds.jwt.JWTParser;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import reactor.core.publisher.Mono;

/**
 * Micronaut Security's JWT validator with a {@link VerifiedTokenCache} in front:
 * {@link #validateToken} answers a token verified before from the cache, and otherwise asks the
 * delegate (signature, then the claims validators: {@code exp}, {@code nbf}, subject, and issuer
 * or audience where configured) and caches what it accepts, until the token's {@code exp}.
 * A refused token, or an error, is passed on and never cached.
 * <p>
 * {@link #validate} (the parsed JWT, used by a few Micronaut components directly) is not cached.
 * The cache assumes that whether a token is valid does not depend on the request it came with,
 * which holds for every claims validator Micronaut and Chirp configure.
 *
 * @param <T> the parsed token type of the delegate (Nimbus {@code JWT})
 * @param <R> the request type ({@code HttpRequest<?>})
 */
public final class CachingJsonWebTokenValidator<T, R> implements ReactiveJsonWebTokenValidator<T, R> {

    private final ReactiveJsonWebTokenValidator<T, R> delegate;
    private final VerifiedTokenCache cache;

    /**
     * @param delegate the validator that verifies a token in full
     * @param cache    where accepted tokens are kept
     */
    public CachingJsonWebTokenValidator(ReactiveJsonWebTokenValidator<T, R> delegate, VerifiedTokenCache cache) {
        this.delegate = delegate;
        this.cache = cache;
    }

    @Override
    @NonNull
    public Publisher<Authentication> validateToken(@NonNull String token, @Nullable R request) {
        Authentication cached = cache.get(token);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.from(delegate.validateToken(token, request))
                .doOnNext(authentication -> cache.put(token, authentication, expirationOf(token)));
    }

    @Override
    @NonNull
    public Publisher<T> validate(@NonNull String token, @Nullable R request) {
        return delegate.validate(token, request);
    }

    @Override
    public int getOrder() {
        return delegate.getOrder();
    }

    /** The delegate, for tests and diagnostics. */
    public ReactiveJsonWebTokenValidator<T, R> delegate() {
        return delegate;
    }

    /**
     * The {@code exp} of a token the delegate has just accepted: reading the claims again costs a
     * Base64 and JSON decode, far less than the RSA verification saved. {@code null} if it has
     * none; {@code Instant.MIN} (so not cached) if the claims cannot be read, which should never
     * happen to a token just accepted.
     */
    @Nullable
    private static Instant expirationOf(String token) {
        try {
            Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            return exp == null ? null : exp.toInstant();
        } catch (ParseException e) {
            return Instant.MIN;
        }
    }
}
