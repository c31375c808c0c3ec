package io.chirp.timeline.support;

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

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * Stands in for user-service's {@code /.well-known/jwks.json} in this module's tests: a test
 * RSA key signs the tokens (as user-service's key does) and its public half is served here.
 */
@Controller("/test-jwks")
@Requires(env = "test")
@Secured(SecurityRule.IS_ANONYMOUS)
public class TestJwks {

    private static final RSAKey KEY;

    static {
        try {
            KEY = new RSAKeyGenerator(2048).keyID("test").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Get
    Map<String, Object> jwks() {
        return new JWKSet(KEY.toPublicJWK()).toJSONObject();
    }

    /** A bearer token for {@code userId}, as user-service would issue it. */
    public static String token(long userId) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(),
                    new JWTClaimsSet.Builder().subject(Long.toString(userId)).claim("username", "u" + userId)
                            .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 900_000)).build());
            jwt.sign(new RSASSASigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
