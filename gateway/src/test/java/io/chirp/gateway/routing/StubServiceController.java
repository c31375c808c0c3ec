package io.chirp.gateway.routing;

import java.util.Map;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;

/**
 * Stands in for a service ({@code /health} and an echo of any {@code /api/v1/**} GET) in the
 * gateway's own tests (the stores behind
 * the services are tested in their modules; the whole system is tested end to end through
 * the launcher). Each stub service lives under {@code /stub/<name>/}.
 */
@Controller("/stub/{name}")
@Requires(env = "test")
class StubServiceController {

    @Get("/health")
    Map<String, Object> health(String name) {
        return healthOf(name);
    }

    /** Echoes what reached the stub service: which service, which path, which request id and trace. */
    @Get("/api/v1/{+path}")
    Map<String, Object> echo(String name, String path, @Header(value = "X-Request-Id", defaultValue = "") String requestId,
                             @Header(value = "traceparent", defaultValue = "") String traceparent) {
        return Map.of("service", name, "path", "/api/v1/" + path, "requestId", requestId, "traceparent", traceparent);
    }

    /** user-service's JWKS, for the edge token check. */
    @Get("/.well-known/jwks.json")
    Map<String, Object> jwks(String name) {
        return io.chirp.platform.testing.TestTokens.jwks();
    }

    private static Map<String, Object> healthOf(String name) {
        return Map.of("status", "UP", "name", name,
                "details", Map.of("jdbc", Map.of("status", "UP"), "kafka", Map.of("status", "UP")));
    }
}
