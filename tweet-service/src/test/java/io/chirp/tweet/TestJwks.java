package io.chirp.tweet;

import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Stands for user-service's token issuing in tests: an RS256 key generated once per test JVM,
 * tokens shaped like user-service's ({@code sub} = user id, {@code username} claim), and the
 * public JWK Set that {@link JwksTestController} serves.
 */
final class TestJwks {

    private static final RSAKey KEY = generate("chirp-test");
    /** Another key, not in the JWK Set: its tokens must be refused. */
    private static final RSAKey STRANGER = generate("stranger");

    private TestJwks() {
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).keyID(keyId)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid access token for this user, 15 minutes like user-service's. */
    static String token(long userId, String username) {
        return sign(KEY, userId, username);
    }

    /** A well-formed token signed with a key the service does not trust. */
    static String forgedToken(long userId, String username) {
        return sign(STRANGER, userId, username);
    }

    private static String sign(RSAKey key, long userId, String username) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(Long.toString(userId)).claim("username", username)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(900))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The public JWK Set, as user-service serves it at /.well-known/jwks.json. */
    static String publicJwks() {
        return new JWKSet(KEY.toPublicJWK()).toString();
    }
}
