package io.chirp.gateway.routing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.reactivestreams.Publisher;

import io.micronaut.context.annotation.Value;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code services} in the gateway's {@code /health}: every service's own {@code /health},
 * asked in parallel (non-blocking, each with a timeout), so one URL tells whether the whole
 * system, stores included, is up. DOWN as soon as one service is down or does not answer.
 */
@Singleton
class DownstreamHealthIndicator implements HealthIndicator {

    private final List<ServiceEndpoint> services;
    private final HttpClient client;
    private final Duration timeout;

    DownstreamHealthIndicator(List<ServiceEndpoint> services, @Client HttpClient client,
                              @Value("${chirp.gateway.health-timeout:3s}") Duration timeout) {
        this.services = services;
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Flux.fromIterable(services)
                .flatMap(service -> Mono.from(client.exchange(
                                HttpRequest.GET(service.healthUri()), String.class))
                        .timeout(timeout)
                        .map(response -> Map.entry(service, statusOf(response)))
                        .onErrorResume(e -> Mono.just(Map.entry(service, HealthStatus.DOWN))))
                .collectList()
                .map(results -> {
                    Map<String, Object> details = new TreeMap<>();
                    boolean allUp = !results.isEmpty();
                    for (var result : results) {
                        Map<String, Object> detail = new LinkedHashMap<>();
                        detail.put("status", result.getValue().getName());
                        detail.put("url", result.getKey().url().toString());
                        details.put(result.getKey().name(), detail);
                        allUp &= HealthStatus.UP.equals(result.getValue());
                    }
                    return HealthResult.builder("services", allUp ? HealthStatus.UP : HealthStatus.DOWN)
                            .details(details).build();
                });
    }

    private static HealthStatus statusOf(HttpResponse<String> response) {
        return response.code() == 200 ? HealthStatus.UP : HealthStatus.DOWN;
    }
}
