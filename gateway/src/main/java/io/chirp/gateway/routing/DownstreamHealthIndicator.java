package io.chirp.gateway.routing;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.reactivestreams.Publisher;

import io.chirp.platform.web.resilience.CircuitBreakers;
import io.chirp.platform.web.resilience.CircuitOpenException;
import io.micronaut.context.annotation.Value;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code services} in the gateway's {@code /health}: every service's own {@code /health},
 * asked in parallel (non-blocking, each with a timeout), with the status of each of its
 * components (its stores among them), so one URL tells whether the whole system is up.
 * DOWN as soon as one service is down or does not answer. Each probe is made through the
 * service's circuit breaker, the one its routes use ({@link RoutingFilter}), as a probe
 * ({@link CircuitBreakers#probe}): while the breaker is closed a failed probe does not count
 * against it (the gateway's {@code /health}, polled while the services start, must not open their
 * breakers for the first requests after they came up); while it is open the service is DOWN at
 * once ({@code "error": "circuit open"}); once the open wait is over a probe is one of the
 * half-open trial calls, so a recovered service is seen even when no route traffic flows.
 */
@Singleton
class DownstreamHealthIndicator implements HealthIndicator {

    private final List<ServiceEndpoint> services;
    private final HttpClient client;
    private final JsonMapper json;
    private final CircuitBreakers breakers;
    private final Duration timeout;
    private final Duration routeTimeout;

    DownstreamHealthIndicator(List<ServiceEndpoint> services, @Client HttpClient client, JsonMapper json,
                              CircuitBreakers breakers,
                              @Value("${chirp.gateway.health-timeout:3s}") Duration timeout,
                              @Value("${chirp.gateway.route-timeout:10s}") Duration routeTimeout) {
        this.services = services;
        this.client = client;
        this.json = json;
        this.breakers = breakers;
        this.timeout = timeout;
        this.routeTimeout = routeTimeout;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Flux.fromIterable(services)
                .flatMap(service -> breakers.probe(breakers.forService(service.name(), routeTimeout), timeout,
                                () -> client.exchange(HttpRequest.GET(service.healthUri()), String.class))
                        .map(response -> describe(service, response.code(), response.body()))
                        .onErrorResume(HttpClientResponseException.class, e ->
                                Mono.just(describe(service, e.code(), e.getResponse().getBody(String.class).orElse(null))))
                        .onErrorResume(CircuitOpenException.class, e -> Mono.just(circuitOpen(service)))
                        .onErrorResume(e -> Mono.just(describe(service, 0, null))))
                .collectList()
                .map(results -> {
                    Map<String, Object> details = new TreeMap<>();
                    boolean allUp = !results.isEmpty();
                    for (Map<String, Object> result : results) {
                        details.put((String) result.remove("name"), result);
                        allUp &= HealthStatus.UP.getName().equals(result.get("status"));
                    }
                    return HealthResult.builder("services", allUp ? HealthStatus.UP : HealthStatus.DOWN)
                            .details(details).build();
                });
    }

    private Map<String, Object> circuitOpen(ServiceEndpoint service) {
        Map<String, Object> result = describe(service, -1, null);
        result.put("error", "circuit open");
        return result;
    }

    /** {name, status, url, components: {component: status}} of one service's answer. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> describe(ServiceEndpoint service, int code, String body) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", service.name());
        result.put("status", code == 200 ? HealthStatus.UP.getName() : HealthStatus.DOWN.getName());
        result.put("url", service.url().toString());
        if (body != null) {
            try {
                Map<String, Object> health = json.readValue(body, Map.class);
                Object components = health.get("details");
                if (components instanceof Map<?, ?> map) {
                    Map<String, Object> statuses = new TreeMap<>();
                    ((Map<String, Object>) map).forEach((name, detail) -> {
                        if (detail instanceof Map<?, ?> d) {
                            statuses.put(name, String.valueOf(d.get("status")));
                        }
                    });
                    result.put("components", statuses);
                }
            } catch (IOException e) {
                result.put("error", "unreadable /health answer");
            }
        } else if (code == 0) {
            result.put("error", "no answer within " + timeout.toMillis() + " ms");
        }
        return result;
    }
}
