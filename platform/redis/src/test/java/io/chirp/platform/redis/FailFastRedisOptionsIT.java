package io.chirp.platform.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.chirp.engines.Ports;
import io.chirp.engines.ProcessRegistry;
import io.chirp.engines.RedisEngine;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * A real redis-server goes away under a connected client: with the options every Chirp
 * application sets, a command is refused at once (the caller takes its fallback) instead of being
 * queued until Redis returns, and the client reconnects by itself once Redis is back.
 */
class FailFastRedisOptionsIT {

    /** Far longer than the refusal takes; a queued command would still be waiting. */
    private static final long WAIT_SECONDS = 10;

    @Test
    void commandsAreRefusedWhileRedisIsDownAndServedAgainWhenItIsBack() throws Exception {
        Path dir = Files.createTempDirectory("chirp-redis-options");
        ProcessRegistry registry = new ProcessRegistry(dir.resolve("run"));
        int port = Ports.freePort();
        RedisEngine redis = RedisEngine.start(dir.resolve("redis"), port, false, registry);
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        client.setOptions(FailFastRedisOptions.options(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redisCommands = connection.async();
            assertEquals("OK", redisCommands.set("k", "v").get(WAIT_SECONDS, TimeUnit.SECONDS));

            redis.close();
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !connection.isOpen());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> redisCommands.get("k").get(WAIT_SECONDS, TimeUnit.SECONDS));
            // refused because disconnected, not queued and then timed out
            assertInstanceOf(RedisException.class, refused.getCause(), refused.toString());
            assertFalse(refused.getCause() instanceof RedisCommandTimeoutException, refused.toString());

            redis = RedisEngine.start(dir.resolve("redis"), port, false, registry);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> "OK".equals(redisCommands.set("k", "again").get(WAIT_SECONDS, TimeUnit.SECONDS)));
            assertEquals("again", redisCommands.get("k").get(WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            client.shutdown();
            redis.close();
        }
    }
}
