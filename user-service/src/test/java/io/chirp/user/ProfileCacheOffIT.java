package io.chirp.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.user.cache.ProfileCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/** {@code chirp.profile-cache.enabled=false} (the benchmark's baseline): every read from PostgreSQL, nothing in Redis. */
@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
@MicronautTest
@Property(name = "chirp.profile-cache.enabled", value = "false")
class ProfileCacheOffIT {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    ProfileCache cache;

    @Inject
    MeterRegistry meters;

    @Test
    void readsGoToPostgresqlAndNothingIsCached() {
        String name = "po_" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
        long id = Long.parseLong((String) http.toBlocking().retrieve(HttpRequest.POST("/api/v1/users", Map.of(
                "username", name, "email", name + "@example.com", "password", "correct horse battery")),
                Map.class).get("id"));
        assertFalse(cache.enabled());
        for (int i = 0; i < 2; i++) {
            assertEquals(name, http.toBlocking().retrieve(HttpRequest.GET("/api/v1/users/" + id), Map.class)
                    .get("username"));
        }
        RedisClient client = RedisClient.create(SharedEngines.get().redisUri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            assertNull(redis.sync().get(ProfileCache.key(id)));
        } finally {
            client.shutdown();
        }
        assertEquals(0, meters.get("cache.gets").tag("cache", ProfileCache.NAME).tag("result", "hit").counter().count());
        assertEquals(0, meters.get("cache.gets").tag("cache", ProfileCache.NAME).tag("result", "miss").counter().count());
    }
}
