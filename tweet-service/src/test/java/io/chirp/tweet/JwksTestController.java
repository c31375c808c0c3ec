package io.chirp.tweet;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** Test-only: the JWK Set of {@link TestJwks}, so no user-service has to run. */
@Requires(env = Environment.TEST)
@Controller("/test-jwks")
@Secured(SecurityRule.IS_ANONYMOUS)
class JwksTestController {

    @Get
    @Produces(MediaType.APPLICATION_JSON)
    String jwks() {
        return TestJwks.publicJwks();
    }
}
