package io.chirp.platform.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Makes every {@link RedisClient} of the application fail fast while Redis is down instead of
 * queueing: commands are rejected while disconnected, a command times out after
 * {@code chirp.redis.command-timeout} (default 1 s) and a connection attempt after
 * {@code chirp.redis.connect-timeout} (default 1 s); the client still reconnects by itself.
 * <p>
 * Lettuce's defaults suit a cache that must not lose commands, not one that has a fallback: it
 * buffers commands until the connection returns (unbounded by default) and waits 10 s to connect,
 * so every request would hang for as long as Redis is away. In Chirp every Redis use has a
 * fallback that is only useful if taken at once: the home timeline falls back to fan-out on read,
 * a profile read to PostgreSQL, a read-your-writes pin to the primary, a rate limit to letting the
 * request through. Source: Lettuce reference, "Client Options" ({@code disconnectedBehavior},
 * {@code timeoutOptions}, {@code socketOptions.connectTimeout}).
 */
@Singleton
public class FailFastRedisOptions implements BeanCreatedEventListener<RedisClient> {

    private final ClientOptions options;

    /**
     * @param commandTimeout how long a command may wait for its answer
     * @param connectTimeout how long a connection attempt may take
     */
    public FailFastRedisOptions(@Value("${chirp.redis.command-timeout:1s}") Duration commandTimeout,
                                @Value("${chirp.redis.connect-timeout:1s}") Duration connectTimeout) {
        this.options = options(commandTimeout, connectTimeout);
    }

    /** The options set on every client: reconnect, reject while disconnected, both timeouts. */
    public static ClientOptions options(Duration commandTimeout, Duration connectTimeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .build();
    }

    @Override
    public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
        RedisClient client = event.getBean();
        client.setOptions(options);
        return client;
    }
}
