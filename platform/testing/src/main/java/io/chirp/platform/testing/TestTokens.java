package io.chirp.platform.testing;

import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Access tokens for testing a service that verifies user-service's tokens, without running
 * user-service: an RS256 key made per test JVM signs tokens shaped as user-service's
 * ({@code sub} = user id, {@code username}, 15 min), and {@link #jwks()} is the JWK Set a test
 * serves in place of {@code /.well-known/jwks.json}.
 */
public final class TestTokens {

    private static final RSAKey KEY;

    static {
        try {
            KEY = new RSAKeyGenerator(2048).keyID("test-" + ProcessHandle.current().pid()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestTokens() {
    }

    /** The public JWK Set, as a JSON object. */
    public static Map<String, Object> jwks() {
        return new JWKSet(KEY.toPublicJWK()).toJSONObject();
    }

    /** A bearer token for {@code userId} with username {@code "u" + userId}. */
    public static String forUser(long userId) {
        return forUser(userId, "u" + userId);
    }

    /** A bearer token for {@code userId} whose {@code username} claim is {@code username}. */
    public static String forUser(long userId, String username) {
        return forUser(userId, username, new Date(System.currentTimeMillis() + 900_000));
    }

    /** A bearer token that expired a minute ago (correctly signed). */
    public static String expiredForUser(long userId) {
        return forUser(userId, "u" + userId, new Date(System.currentTimeMillis() - 60_000));
    }

    private static String forUser(long userId, String username, Date expiresAt) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(),
                    new JWTClaimsSet.Builder().subject(Long.toString(userId)).claim("username", username)
                            .issueTime(new Date()).expirationTime(expiresAt).build());
            jwt.sign(new RSASSASigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
