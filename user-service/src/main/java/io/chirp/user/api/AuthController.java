package io.chirp.user.api;

import java.util.Map;

import io.chirp.user.domain.AuthService;
import io.chirp.user.domain.User;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.token.generator.TokenGenerator;
import jakarta.validation.Valid;

/**
 * {@code POST /api/v1/auth/token}: an RS256 access token for a username and password
 * ({@code sub} = the user id, {@code username} claim). Verifiable with the JWK Set at
 * {@code /.well-known/jwks.json}.
 */
@Controller("/api/v1/auth")
@ExecuteOn(TaskExecutors.BLOCKING)
class AuthController {

    private final AuthService auth;
    private final TokenGenerator tokens;
    private final int expiresIn;

    AuthController(AuthService auth, TokenGenerator tokens,
                   @Value("${micronaut.security.token.generator.access-token.expiration:900}") int expiresIn) {
        this.auth = auth;
        this.tokens = tokens;
        this.expiresIn = expiresIn;
    }

    @Post("/token")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Requests.TokenResponse token(@Valid @Body Requests.TokenRequest request) {
        User user = auth.authenticate(request.username(), request.password());
        String token = tokens.generateToken(Authentication.build(Long.toString(user.id()),
                        Map.of("username", user.username())), expiresIn)
                .orElseThrow(() -> new IllegalStateException("no token generator"));
        return new Requests.TokenResponse(token, "Bearer", expiresIn);
    }
}
