package io.chirp.timeline.support;

import java.util.Map;

import io.chirp.platform.testing.TestTokens;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** Serves {@link TestTokens}' JWK Set in place of user-service's {@code /.well-known/jwks.json}. */
@Controller("/test-jwks")
@Requires(env = "test")
@Secured(SecurityRule.IS_ANONYMOUS)
public class TestJwks {

    @Get
    Map<String, Object> jwks() {
        return TestTokens.jwks();
    }

    /** A bearer token for {@code userId}, as user-service would issue it. */
    public static String token(long userId) {
        return TestTokens.forUser(userId);
    }
}
