package io.chirp.user.cache;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Redis down must fail fast, not queue (as in timeline-service): commands are rejected while
 * disconnected and time out after a second, a connection attempt after a second, so a profile
 * read falls back to PostgreSQL at once instead of hanging (Lettuce's default buffers commands
 * until the connection returns and waits 10 s to connect).
 */
@Singleton
class RedisClientOptions implements BeanCreatedEventListener<RedisClient> {

    @Override
    public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
        RedisClient client = event.getBean();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
                .build());
        return client;
    }
}
