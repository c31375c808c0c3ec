package io.chirp.search.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

import io.micronaut.health.HealthStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

/**
 * {@code elasticsearch} in {@code /health}: the cluster health status read with the
 * low-level REST client, which both the 7.17 engine of the local cluster and Elasticsearch 8
 * answer alike. Green and yellow (a single node has no replicas) are UP, red is DOWN.
 */
@Singleton
class ElasticsearchHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final RestClient restClient;
    private final JsonMapper json;

    ElasticsearchHealthIndicator(RestClient restClient, JsonMapper json) {
        this.restClient = restClient;
        this.json = json;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, Object> getHealthInformation() {
        try {
            Response response = restClient.performRequest(new Request("GET", "/_cluster/health"));
            try (InputStream body = response.getEntity().getContent()) {
                Map<String, Object> health = json.readValue(body, Map.class);
                Object status = health.get("status");
                healthStatus = "red".equals(status) ? HealthStatus.DOWN : HealthStatus.UP;
                return Map.of("cluster", String.valueOf(health.get("cluster_name")), "status", String.valueOf(status));
            }
        } catch (IOException e) {
            healthStatus = HealthStatus.DOWN;
            return Map.of("error", e.getClass().getSimpleName());
        }
    }

    @Override
    protected String getName() {
        return "elasticsearch";
    }
}
