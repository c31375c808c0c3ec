package io.chirp.gateway.routing;

import java.util.Map;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * Stands in for a service's {@code /health} in the gateway's own tests (the stores behind
 * the services are tested in their modules; the whole system is tested end to end through
 * the launcher). Each stub service lives under {@code /stub/<name>/}.
 */
@Controller("/stub/{name}")
@Requires(env = "test")
class StubServiceController {

    @Get("/health")
    Map<String, Object> health(String name) {
        return Map.of("status", "UP", "name", name,
                "details", Map.of("jdbc", Map.of("status", "UP"), "kafka", Map.of("status", "UP")));
    }
}
