package io.chirp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The observability profile is wired together: Prometheus scrapes {@code /prometheus} of every
 * Chirp application at its compose hostname and port; Grafana's provisioned datasource is the
 * one every dashboard panel names, and the dashboard directory it loads is the one compose mounts.
 */
class ObservabilityConfigTest {

    @Test
    void prometheusScrapesEveryApplication() {
        Map<String, Object> services = Repo.map(Repo.composeConfig(true).get("services"));
        Map<String, String> expected = new TreeMap<>();
        for (String app : Repo.applications()) {
            expected.put(app, app + ":" + Repo.map(Repo.map(services.get(app)).get("environment")).get("CHIRP_PORT"));
        }
        Map<String, String> scraped = new TreeMap<>();
        for (Object job : Repo.list(Repo.yaml(Repo.read("deploy/observability/prometheus/prometheus.yml")).get("scrape_configs"))) {
            Map<String, Object> config = Repo.map(job);
            assertEquals("/prometheus", config.get("metrics_path"), "job " + config.get("job_name"));
            for (Object staticConfig : Repo.list(config.get("static_configs"))) {
                for (Object target : Repo.list(Repo.map(staticConfig).get("targets"))) {
                    scraped.put(String.valueOf(config.get("job_name")), String.valueOf(target));
                }
            }
        }
        assertEquals(expected, scraped);
    }

    @Test
    void grafanaUsesTheProvisionedDatasourceAndMountedDashboards() throws Exception {
        Map<String, Object> datasource = Repo.map(Repo.list(Repo.yaml(Repo.read(
                "deploy/observability/grafana/provisioning/datasources/prometheus.yml")).get("datasources")).get(0));
        assertEquals("http://prometheus:9090", datasource.get("url"));
        JsonNode dashboard = new ObjectMapper().readTree(Repo.read("deploy/observability/grafana/dashboards/chirp.json"));
        int panels = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asText())) {
                assertEquals(datasource.get("uid"), panel.path("datasource").path("uid").asText(), panel.path("title").asText());
                panels++;
            }
        }
        assertTrue(panels >= 10, "panels: " + panels);
        String provider = String.valueOf(Repo.map(Repo.map(Repo.list(Repo.yaml(Repo.read(
                "deploy/observability/grafana/provisioning/dashboards/chirp.yml")).get("providers")).get(0)).get("options")).get("path"));
        Map<String, Object> grafana = Repo.map(Repo.map(Repo.composeConfig(true).get("services")).get("grafana"));
        assertTrue(Repo.list(grafana.get("volumes")).stream().map(String::valueOf)
                .anyMatch(v -> v.contains("deploy/observability/grafana/dashboards:" + provider)), "dashboards mounted at " + provider);
    }
}
