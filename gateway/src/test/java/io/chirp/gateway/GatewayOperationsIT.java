package io.chirp.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import io.chirp.engines.Ports;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.OperationsContract;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;

@RealEngines(Engine.REDIS)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayOperationsIT extends OperationsContract implements TestPropertyProvider {

    static final Set<String> SERVICES = Set.of("user-service", "tweet-service", "timeline-service",
            "like-service", "search-service");

    private final int port = Ports.freePort();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("micronaut.server.port", Integer.toString(port));
        for (String service : SERVICES) {
            properties.put("chirp.gateway.services." + service + ".url", "http://127.0.0.1:" + port + "/stub/" + service);
        }
        return properties;
    }

    @Override
    protected URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    protected String serviceName() {
        return "gateway";
    }

    @Override
    protected Set<String> storeHealthComponents() {
        return Set.of("redis", "services");
    }

    @Test
    void healthListsEveryServiceUp() {
        JsonNode services = health().path("details").path("services").path("details");
        for (String service : SERVICES) {
            assertEquals("UP", services.path(service).path("status").asText(), services.toPrettyString());
            assertEquals("UP", services.path(service).path("components").path("jdbc").asText(),
                    "each service's own components are reported: " + services.toPrettyString());
        }
    }
}
