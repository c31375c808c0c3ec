package io.chirp.platform.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

import javax.sql.DataSource;

/**
 * Writes events to the transactional outbox of one physical database, in the caller's
 * transaction, so an event exists exactly when the change it describes was committed.
 * <p>
 * The table (every sharded service's {@code V1__outbox.sql}, with {@code trace_parent} added
 * by a later migration):
 * <pre>{@code
 * CREATE TABLE outbox (
 *     id            bigserial   PRIMARY KEY,
 *     event_id      uuid        NOT NULL UNIQUE,
 *     topic         text        NOT NULL,
 *     message_key   text        NOT NULL,
 *     event_type    text        NOT NULL,
 *     payload       jsonb       NOT NULL,
 *     created_at    timestamptz NOT NULL DEFAULT now(),
 *     sent_at       timestamptz,
 *     trace_parent  text        -- W3C traceparent of the appending span, or NULL
 * );
 * CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
 * }</pre>
 * Rows are published by an {@link OutboxRelay} in {@code id} order. Within one key, {@code id}
 * order is the order in which the writers inserted; writers that lock the aggregate before
 * appending its event therefore get their events published in commit order.
 * <p>
 * The row also keeps the trace context of the span current when it was appended (the HTTP
 * request or the consumer that caused the change), which the relay sends as the record's
 * {@code traceparent} header, so the consumers' spans continue that trace
 * ({@link KafkaTracing}).
 * <p>
 * Pattern: Chris Richardson, "Pattern: Transactional outbox",
 * <a href="https://microservices.io/patterns/data/transactional-outbox.html">microservices.io</a>.
 */
public final class Outbox {

    private static final String INSERT =
            "INSERT INTO outbox (event_id, topic, message_key, event_type, payload, trace_parent)"
                    + " VALUES (?, ?, ?, ?, ?::jsonb, ?)";
    private static final String BACKLOG = "SELECT count(*) FROM outbox WHERE sent_at IS NULL";

    private Outbox() {
    }

    /**
     * Inserts {@code message} as an unsent row on {@code connection}. It neither commits nor
     * changes the auto-commit mode: the row becomes visible to the relay when the caller's
     * transaction commits, and disappears with it when the caller rolls back. The current span's
     * W3C {@code traceparent} ({@link KafkaTracing#currentTraceparent()}) is stored with the row,
     * {@code NULL} when there is no current span.
     *
     * @throws SQLException if the insert fails, e.g. a unique violation (SQLState {@code 23505})
     *                      when {@code eventId} is already in the outbox, or invalid JSON
     *                      (SQLState {@code 22P02}); the caller's transaction is then aborted
     */
    public static void append(Connection connection, OutboxMessage message) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(message, "message");
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, message.eventId());
            insert.setString(2, message.topic());
            insert.setString(3, message.key());
            insert.setString(4, message.eventType());
            insert.setString(5, message.payloadJson());
            insert.setString(6, KafkaTracing.currentTraceparent());
            insert.executeUpdate();
        }
    }

    /**
     * The number of committed rows not yet published ({@code sent_at IS NULL}), read on a
     * connection of its own: the relay's lag in events, for health checks, metrics and tests.
     *
     * @throws MessagingException if the database cannot be queried
     */
    public static long backlog(DataSource dataSource) {
        return backlog(dataSource, Duration.ZERO);
    }

    /**
     * {@link #backlog(DataSource)} with a statement timeout: the count is cancelled after
     * {@code queryTimeout}, rounded up to whole seconds (JDBC's unit); {@link Duration#ZERO}
     * means none. Counting uses the partial index {@code outbox_unsent}, so it costs the
     * backlog's size, not the table's. Getting a connection is bounded by the pool's own timeout.
     *
     * @throws MessagingException if the database cannot be queried or the timeout expires
     * @throws IllegalArgumentException if {@code queryTimeout} is negative
     */
    public static long backlog(DataSource dataSource, Duration queryTimeout) {
        Objects.requireNonNull(dataSource, "dataSource");
        if (queryTimeout.isNegative()) {
            throw new IllegalArgumentException("queryTimeout must not be negative: " + queryTimeout);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement(BACKLOG)) {
            count.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, (queryTimeout.toMillis() + 999) / 1000));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new MessagingException("cannot count the outbox backlog", e);
        }
    }
}
