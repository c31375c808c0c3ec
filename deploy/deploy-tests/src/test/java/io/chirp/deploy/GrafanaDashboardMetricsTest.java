package io.chirp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every metric name in the Grafana dashboard (deploy/observability/grafana/dashboards/chirp.json:
 * each panel target's PromQL {@code expr} and each templating query) is a series the Chirp
 * applications expose at {@code /prometheus}.
 *
 * <p>What "expose" means here, since a unit test starts no service: the series names computed by
 * {@link ExposedMetrics} — the meters registered in the services' and platform libraries' Java
 * code (Counter/Timer/DistributionSummary/Gauge builders and {@code registry.counter(…)}-style
 * calls, names read from string literals or constants), named by the same Micrometer Prometheus
 * registry the services run, plus Micronaut's standard series ({@code http_server_requests_seconds_*},
 * {@code jvm_*}, {@code process_*}, {@code system_*}) and micronaut-kafka's {@code kafka_consumer_*}
 * / {@code kafka_producer_*} client metrics, and Resilience4j's {@code resilience4j_circuitbreaker_*}
 * meters where the code binds them. A meter only created at run time under a computed
 * name would escape this check; the test fails when a meter-creating call's name is not a
 * constant it can read.
 */
class GrafanaDashboardMetricsTest {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "inf", "nan");
    private static Set<String> exposed;
    private static JsonNode dashboard;

    @BeforeAll
    static void load() throws Exception {
        exposed = ExposedMetrics.seriesNames();
        dashboard = new ObjectMapper().readTree(Repo.read("deploy/observability/grafana/dashboards/chirp.json"));
    }

    /** Metric names in one PromQL expression: strings, label matchers, ranges, grouping clauses and functions removed. */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\\$\\{?\\w+}?", "")
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(e);
        while (m.find()) {
            String token = m.group().replaceAll("[\\s(]", "");
            boolean function = m.group(1) != null;
            if (!function && !KEYWORDS.contains(token) && !Character.isDigit(token.charAt(0))) {
                names.add(token);
            }
        }
        return names;
    }

    static List<String> expressions(JsonNode node) {
        List<String> found = new ArrayList<>();
        for (JsonNode panel : node.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                found.add(target.path("expr").asText());
            }
            found.addAll(expressions(panel));
        }
        return found;
    }

    @Test
    void everyDashboardMetricIsExposedBySomeService() {
        Set<String> used = new TreeSet<>();
        List<String> expressions = expressions(dashboard);
        assertTrue(expressions.size() >= 20, "targets found: " + expressions.size());
        for (String expr : expressions) {
            Set<String> names = metricNames(expr);
            assertTrue(!names.isEmpty(), "no metric in " + expr);
            used.addAll(names);
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)")
                    .matcher(variable.path("query").path("query").asText(variable.path("query").asText()));
            if (m.find()) {
                used.add(m.group(1));
            }
        }
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exposed);
        assertTrue(unknown.isEmpty(), "dashboard metrics no service exposes: " + unknown);
        assertTrue(used.size() >= 15, "distinct metrics used: " + used);
    }

    @Test
    void theExposedListComesFromTheCode() {
        List<ExposedMetrics.SourceMeter> meters = ExposedMetrics.sourceMeters();
        assertEquals(ExposedMetrics.registrationCalls(), meters.size(), "every meter-creating call was read: " + meters);
        assertTrue(exposed.contains("chirp_timeline_fanout_lag_seconds_count"), "a timer, named as Prometheus names it");
        assertTrue(exposed.contains("tweet_shard_queries_total"), "a counter named by a constant");
        assertTrue(exposed.contains("http_server_requests_seconds_count"));
        assertTrue(exposed.contains("kafka_consumer_records_lag_max_records"));
        assertTrue(exposed.contains("chirp_outbox_backlog"), "a gauge named by a constant of another module");
        assertTrue(exposed.contains("chirp_saga_instances"));
        assertTrue(exposed.contains("http_server_requests_seconds_bucket"), "the histogram turned on in application.yml");
        assertTrue(exposed.contains("resilience4j_circuitbreaker_state"), "a library's meters bound by our code");
        assertTrue(!exposed.contains("chirp_outbox_backlog_total"), "no invented names");
        assertTrue(!exposed.contains("chirp_saga_instances_bucket"), "no invented names");
    }

    /**
     * The latency panels compute p50/p95/p99 from {@code http_server_requests_seconds_bucket}, so
     * every application publishes it.
     */
    @Test
    void everyApplicationPublishesServerLatencyBuckets() {
        Set<String> configured = ExposedMetrics.serverHistogramApplications();
        for (String app : Repo.applications()) {
            assertTrue(configured.contains(app),
                    app + "'s application.yml must set " + ExposedMetrics.SERVER_HISTOGRAM + ": true");
        }
    }

    @Test
    void theExtractorFindsMetricsAndSkipsLabelsAndFunctions() {
        assertEquals(Set.of("a_total", "b_seconds_count"), metricNames(
                "sum by (job, uri) (rate(a_total{job=~\"$job\", x=\"y{z}\"}[$__rate_interval])) / on (job) b_seconds_count"));
    }
}
