package io.chirp.platform.web.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.signature.rsa.RSASignature;
import io.micronaut.security.token.validator.TokenValidator;
import reactor.core.publisher.Mono;

/**
 * Micronaut Security's own JWT validator, built by the application context with a real RS256
 * key, decorated by {@link TokenCacheDecorator}; the signature check counts how often it runs.
 */
class CachingJsonWebTokenValidatorTest {

    private static final RSAKey KEY = generateKey("chirp-test");
    private static final RSAKey FOREIGN_KEY = generateKey("foreign");

    private final CountingSignature signature = new CountingSignature(KEY);
    private ApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aValidTokenIsVerifiedOnceThenServedFromTheCache() {
        TokenValidator<HttpRequest<?>> validator = start(Map.of());
        String token = sign(KEY, "42", new Date(System.currentTimeMillis() + 900_000));

        for (int i = 0; i < 20; i++) {
            Optional<Authentication> authentication = validate(validator, token);
            assertTrue(authentication.isPresent(), "validation " + i);
            assertEquals("42", authentication.get().getName());
        }
        assertEquals(1, signature.verifications.get(), "one RSA verification for 20 validations");
        assertInstanceOf(CachingJsonWebTokenValidator.class, validator);
    }

    @Test
    void aCachedTokenIsRefusedOnceItsExpPasses() {
        TokenValidator<HttpRequest<?>> validator = start(Map.of());
        // exp has whole seconds: two seconds from now, at least
        long exp = (System.currentTimeMillis() / 1000 + 2) * 1000;
        String token = sign(KEY, "42", new Date(exp));
        assertTrue(validate(validator, token).isPresent());
        assertTrue(validate(validator, token).isPresent());
        assertEquals(1, signature.verifications.get(), "served from the cache while valid");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.currentTimeMillis() > exp);
        assertFalse(validate(validator, token).isPresent(), "expired: refused, the cache notwithstanding");
        assertFalse(validate(validator, token).isPresent());
    }

    @Test
    void aTokenWithOneCharacterOfItsSignatureChangedIsRefusedThoughTheOriginalIsCached() {
        TokenValidator<HttpRequest<?>> validator = start(Map.of());
        String token = sign(KEY, "42", new Date(System.currentTimeMillis() + 900_000));
        assertTrue(validate(validator, token).isPresent());

        int at = token.lastIndexOf('.') + 10;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertFalse(validate(validator, tampered).isPresent());
        assertFalse(validate(validator, tampered).isPresent());
        assertEquals(3, signature.verifications.get(), "the tampered token was verified in full, each time");
        assertTrue(validate(validator, token).isPresent(), "the original is still accepted");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        TokenValidator<HttpRequest<?>> validator = start(Map.of());
        String token = sign(KEY, "42", new Date(System.currentTimeMillis() + 900_000));
        assertTrue(validate(validator, token).isPresent());
        String none = base64("{\"alg\":\"none\"}") + "." + token.split("\\.")[1] + ".";

        assertFalse(validate(validator, none).isPresent());
        assertFalse(validate(validator, none).isPresent());
    }

    @Test
    void refusalsAreNeverCached() {
        TokenValidator<HttpRequest<?>> validator = start(Map.of());
        String foreign = sign(FOREIGN_KEY, "42", new Date(System.currentTimeMillis() + 900_000));
        String expired = sign(KEY, "42", new Date(System.currentTimeMillis() - 60_000));

        for (int i = 0; i < 3; i++) {
            assertFalse(validate(validator, foreign).isPresent());
            assertFalse(validate(validator, expired).isPresent());
        }
        assertEquals(6, signature.verifications.get(), "every refused presentation was verified again");
        assertEquals(0, context.getBean(VerifiedTokenCache.class).estimatedSize());
    }

    @Test
    void theCacheHoldsAtMostMaxSizeTokens() {
        TokenValidator<HttpRequest<?>> validator = start(Map.of("chirp.security.token-cache.max-size", "5"));
        VerifiedTokenCache cache = context.getBean(VerifiedTokenCache.class);
        for (int user = 0; user < 50; user++) {
            assertTrue(validate(validator, sign(KEY, Integer.toString(user),
                    new Date(System.currentTimeMillis() + 900_000))).isPresent());
        }
        cache.cleanUp();
        assertTrue(cache.estimatedSize() <= 5, "size " + cache.estimatedSize());
    }

    @Test
    void disabledLeavesMicronautsValidatorAsItIs() {
        TokenValidator<HttpRequest<?>> validator = start(Map.of("chirp.security.token-cache.enabled", "false"));
        String token = sign(KEY, "42", new Date(System.currentTimeMillis() + 900_000));
        assertTrue(validate(validator, token).isPresent());
        assertTrue(validate(validator, token).isPresent());
        assertEquals(2, signature.verifications.get());
        assertFalse(validator instanceof CachingJsonWebTokenValidator);
        assertFalse(context.containsBean(VerifiedTokenCache.class));
    }

    @Test
    void hitsAndMissesAreCountedAsCacheMeters() {
        TokenValidator<HttpRequest<?>> validator = start(Map.of());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new TokenCacheMetrics().tokenCacheMetrics(context.getBean(VerifiedTokenCache.class)).bindTo(registry);
        String token = sign(KEY, "42", new Date(System.currentTimeMillis() + 900_000));
        for (int i = 0; i < 4; i++) {
            validate(validator, token);
        }
        assertEquals(1.0, registry.get("cache.gets").tag("cache", "chirp.security.token.cache").tag("result", "miss")
                .functionCounter().count());
        assertEquals(3.0, registry.get("cache.gets").tag("cache", "chirp.security.token.cache").tag("result", "hit")
                .functionCounter().count());
    }

    @Test
    void anEntryNeverOutlivesItsExpNorTheMaximumTtl() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, Duration.ofMinutes(5),
                java.time.Clock.systemUTC(), com.github.benmanes.caffeine.cache.Ticker.systemTicker());
        Authentication authentication = Authentication.build("42");
        cache.put("past", authentication, java.time.Instant.now().minusSeconds(1));
        assertNull(cache.get("past"), "an expired token is not cached");
        cache.put("no-exp", authentication, null);
        assertEquals(authentication, cache.get("no-exp"), "bounded by the maximum TTL only");
    }

    @SuppressWarnings("unchecked")
    private TokenValidator<HttpRequest<?>> start(Map<String, Object> properties) {
        context = ApplicationContext.builder().properties(properties).singletons(signature).start();
        List<TokenValidator<HttpRequest<?>>> validators = (List<TokenValidator<HttpRequest<?>>>) (List<?>)
                List.copyOf(context.getBeansOfType(TokenValidator.class));
        assertEquals(1, validators.size(), validators.toString());
        return validators.get(0);
    }

    private static Optional<Authentication> validate(TokenValidator<HttpRequest<?>> validator, String token) {
        return Mono.from(validator.validateToken(token, HttpRequest.GET("/api/v1/timelines/home"))).blockOptional();
    }

    private static String sign(RSAKey key, String subject, Date expiresAt) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    new JWTClaimsSet.Builder().subject(subject).claim("username", "u" + subject)
                            .issueTime(new Date()).expirationTime(expiresAt).build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static RSAKey generateKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Micronaut's RS256 signature check of {@code key}, counting how often it verifies. */
    static final class CountingSignature implements SignatureConfiguration {

        final AtomicInteger verifications = new AtomicInteger();
        private final RSASignature rsa;

        CountingSignature(RSAKey key) {
            try {
                java.security.interfaces.RSAPublicKey publicKey = key.toRSAPublicKey();
                this.rsa = new RSASignature(() -> publicKey);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String supportedAlgorithmsMessage() {
            return rsa.supportedAlgorithmsMessage();
        }

        @Override
        public boolean supports(JWSAlgorithm algorithm) {
            return rsa.supports(algorithm);
        }

        @Override
        public boolean verify(SignedJWT jwt) throws JOSEException {
            verifications.incrementAndGet();
            return rsa.verify(jwt);
        }
    }
}
