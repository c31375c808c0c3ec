package io.chirp.user.cache;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;

/**
 * The profile cache's one Redis connection, opened on first use rather than at start-up: Redis is
 * a cache here, so user-service starts and serves without it. While no connection could be
 * opened, callers get none (and read PostgreSQL) and one of them tries again each
 * {@code reconnectInterval}; once open, Lettuce re-establishes a lost connection by itself.
 */
final class LazyRedisConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LazyRedisConnection.class);

    private final RedisClient client;
    private final long retryAfterNanos;
    private final Counter connectFailures;
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long nextAttemptNanos = System.nanoTime();

    LazyRedisConnection(RedisClient client, java.time.Duration reconnectInterval, Counter connectFailures) {
        this.client = client;
        this.retryAfterNanos = reconnectInterval.toNanos();
        this.connectFailures = connectFailures;
    }

    /** The async commands, or empty when no connection is open and this caller is not the one to try. */
    Optional<RedisAsyncCommands<String, String>> commands() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            return Optional.of(open.async());
        }
        if (System.nanoTime() - nextAttemptNanos < 0 || !connecting.tryLock()) {
            return Optional.empty();
        }
        try {
            if (connection == null) {
                try {
                    connection = client.connect(StringCodec.UTF8);
                    LOG.info("profile cache connected to Redis");
                } catch (RuntimeException e) {
                    nextAttemptNanos = System.nanoTime() + retryAfterNanos;
                    connectFailures.increment();
                    LOG.warn("profile cache: cannot connect to Redis, reading PostgreSQL; next attempt in {} ms: {}",
                            retryAfterNanos / 1_000_000, e.toString());
                }
            }
            return Optional.ofNullable(connection).map(StatefulRedisConnection::async);
        } finally {
            connecting.unlock();
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.close();
        }
    }
}
