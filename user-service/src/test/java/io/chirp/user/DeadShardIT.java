package io.chirp.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;

/**
 * A dead shard fails fast while the other keeps serving: with PostgreSQL shard 1 stopped, the
 * first requests for its users wait for the pool's connection timeout and fail; then its circuit
 * breaker opens and every request for its users is answered 503 at once, while the users of
 * shard 0 are served as before; when shard 1 is back, the breaker's probes close it.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadShardIT implements TestPropertyProvider {

    /** The pool's connection timeout here; the breaker makes answers much faster than this. */
    private static final Duration POOL_TIMEOUT = Duration.ofSeconds(3);

    @Inject
    @Client("/")
    HttpClient httpClient;

    @Inject
    ShardedDataSources shards;

    @Inject
    MeterRegistry meters;

    @Override
    public Map<String, String> getProperties() {
        // every profile read reaches the database (a cached profile would hide the dead shard)
        return Map.of("chirp.profile-cache.enabled", "false",
                "datasources.shard0.connection-timeout", Long.toString(POOL_TIMEOUT.toMillis()),
                "datasources.shard1.connection-timeout", Long.toString(POOL_TIMEOUT.toMillis()));
    }

    @Test
    void aDeadShardsRequestsFailFastWhileTheOtherShardKeepsServing() throws Exception {
        List<String> onShard0 = new ArrayList<>();
        List<String> onShard1 = new ArrayList<>();
        while (onShard0.size() < 3 || onShard1.size() < 3) {
            String id = register();
            (shards.physicalNameOf(Long.parseLong(id)).equals("shard0") ? onShard0 : onShard1).add(id);
        }

        SharedEngines.get().stopPostgres(1);
        try {
            // the first requests wait for a connection and fail; the breaker counts them and opens
            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).until(() -> {
                int status = status(onShard1.get(0));
                return status == 503 && breakerOpen("db-shard1");
            });

            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<long[]>> dead = new ArrayList<>();
                List<Future<long[]>> alive = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    String deadUser = onShard1.get(i % onShard1.size());
                    String liveUser = onShard0.get(i % onShard0.size());
                    dead.add(pool.submit(timed(() -> status(deadUser))));
                    alive.add(pool.submit(timed(() -> status(liveUser))));
                }
                long slowestDead = 0;
                for (Future<long[]> answer : dead) {
                    long[] statusAndMillis = answer.get();
                    assertEquals(503, statusAndMillis[0], "the dead shard's users: 503");
                    slowestDead = Math.max(slowestDead, statusAndMillis[1]);
                }
                long slowestAlive = 0;
                for (Future<long[]> answer : alive) {
                    long[] statusAndMillis = answer.get();
                    assertEquals(200, statusAndMillis[0], "the live shard's users are served");
                    slowestAlive = Math.max(slowestAlive, statusAndMillis[1]);
                }
                System.out.printf("dead shard: slowest 503 %d ms (pool timeout %d ms); live shard: slowest 200 %d ms%n",
                        slowestDead, POOL_TIMEOUT.toMillis(), slowestAlive);
                assertTrue(slowestDead < POOL_TIMEOUT.toMillis() / 2,
                        "with the breaker open a request for the dead shard does not wait for the pool: " + slowestDead + " ms");
                assertTrue(!breakerOpen("db-shard0"), "the live shard's breaker stays closed");
            } finally {
                pool.shutdownNow();
            }
        } finally {
            SharedEngines.get().restartPostgres(1);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> status(onShard1.get(0)) == 200);
        assertTrue(!breakerOpen("db-shard1"), "the probes closed the breaker");
    }

    private boolean breakerOpen(String name) {
        var gauge = meters.find("resilience4j.circuitbreaker.state").tag("name", name).tag("state", "open").gauge();
        return gauge != null && gauge.value() == 1.0;
    }

    private static Callable<long[]> timed(Callable<Integer> call) {
        return () -> {
            long start = System.nanoTime();
            int status = call.call();
            return new long[] {status, (System.nanoTime() - start) / 1_000_000};
        };
    }

    private BlockingHttpClient http() {
        return httpClient.toBlocking();
    }

    private int status(String id) {
        try {
            return http().exchange(HttpRequest.GET("/api/v1/users/" + id), String.class).getStatus().getCode();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    private String register() {
        String username = "ds_" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
        Map<?, ?> user = http().retrieve(HttpRequest.POST("/api/v1/users", Map.of("username", username,
                "email", username + "@example.com", "password", "correct horse battery")), Map.class);
        return (String) user.get("id");
    }
}
