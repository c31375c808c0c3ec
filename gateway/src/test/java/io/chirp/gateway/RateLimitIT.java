package io.chirp.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.engines.Ports;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.TestNames;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;

/** Token buckets in real Redis: a burst of 3, then 429 with Retry-After, then allowed again. */
@RealEngines(Engine.REDIS)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT implements TestPropertyProvider {

    private final int port = Ports.freePort();
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("micronaut.server.port", Integer.toString(port));
        properties.put("chirp.gateway.rate-limit.per-ip-capacity", "3");
        properties.put("chirp.gateway.rate-limit.per-ip-refill-per-second", "2");
        properties.put("chirp.gateway.rate-limit.key-prefix", TestNames.unique("rl"));
        for (String service : GatewayOperationsIT.SERVICES) {
            properties.put("chirp.gateway.services." + service + ".url", "http://127.0.0.1:" + port + "/stub/" + service);
        }
        return properties;
    }

    private HttpResponse<String> request() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tweets/7")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBurstOverTheBucketIs429WithRetryAfterAndTheBucketRefills() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = request();
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("3", ok.headers().firstValue("X-RateLimit-Limit").orElse(""));
            assertEquals(Integer.toString(2 - i), ok.headers().firstValue("X-RateLimit-Remaining").orElse(""));
        }
        HttpResponse<String> limited = request();
        assertEquals(429, limited.statusCode());
        assertEquals("1", limited.headers().firstValue("Retry-After").orElse(""));
        assertEquals("application/problem+json", limited.headers().firstValue("Content-Type").orElse(""));
        assertTrue(limited.body().contains("rate limit"), limited.body());
        await().atMost(Duration.ofSeconds(5)).until(() -> request().statusCode() == 200);
    }
}
