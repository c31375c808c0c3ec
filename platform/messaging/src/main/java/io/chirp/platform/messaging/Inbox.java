package io.chirp.platform.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * The idempotent inbox: remembers which events each consumer has processed, so that a
 * redelivered event (the outbox relay and Kafka both deliver at-least-once) has no second effect.
 * <p>
 * The table it needs, in the consumer's own database (one per physical shard for sharded
 * services):
 * <pre>{@code
 * CREATE TABLE inbox (
 *     consumer     text        NOT NULL,
 *     event_id     uuid        NOT NULL,
 *     processed_at timestamptz NOT NULL DEFAULT now(),
 *     PRIMARY KEY (consumer, event_id)
 * );
 * }</pre>
 * Usage in a handler, in one transaction:
 * <pre>{@code
 * connection.setAutoCommit(false);
 * if (Inbox.firstDelivery(connection, "timeline.follow-accepted", eventId)) {
 *     ... the handler's own writes on the same connection ...
 * }
 * connection.commit();
 * }</pre>
 * Guarantee: the inbox row commits or rolls back with the handler's effects, so an event is
 * skipped exactly when its effects were committed. A handler that fails and rolls back leaves
 * no inbox row, and the redelivery runs it again. Two concurrent deliveries of one event are
 * serialised by the primary key: the second insert waits for the first transaction and then
 * inserts (first rolled back) or reports a duplicate (first committed).
 * <p>
 * Stores that are not PostgreSQL (Redis, Cassandra, Elasticsearch) are made idempotent by their
 * natural keys instead; this class is for handlers that write to PostgreSQL.
 * <p>
 * Pattern: Chris Richardson, "Pattern: Idempotent Consumer",
 * <a href="https://microservices.io/patterns/communication-style/idempotent-consumer.html">microservices.io</a>.
 */
public final class Inbox {

    private static final String INSERT = "INSERT INTO inbox (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
    private static final String PURGE = "DELETE FROM inbox WHERE processed_at <= now() - (? * interval '1 millisecond')";

    private Inbox() {
    }

    /**
     * Records that {@code consumer} processes {@code eventId}, on the caller's connection and in
     * the caller's transaction (it neither commits nor changes the auto-commit mode).
     *
     * @param consumer a stable name of the handler (e.g. {@code "timeline.tweet-created"}): each
     *                 consumer of one event keeps its own record
     * @return {@code true} the first time (process the event), {@code false} when this consumer
     *         already recorded the event in a committed transaction (skip it)
     * @throws SQLException if the insert fails (e.g. no {@code inbox} table)
     * @throws IllegalArgumentException if {@code consumer} is blank
     */
    public static boolean firstDelivery(Connection connection, String consumer, UUID eventId) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(eventId, "eventId");
        if (consumer.isBlank()) {
            throw new IllegalArgumentException("consumer must not be blank");
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, consumer);
            insert.setObject(2, eventId);
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * Deletes inbox rows processed at least {@code olderThan} ago (database clock), so the table
     * does not grow forever. Keep {@code olderThan} longer than the retention of the consumed
     * topics (Kafka's {@code retention.ms}): an event redelivered after its row was purged would
     * be processed again.
     *
     * @return the number of rows deleted
     * @throws MessagingException if the delete fails
     * @throws IllegalArgumentException if {@code olderThan} is negative
     */
    public static long purge(DataSource dataSource, Duration olderThan) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(olderThan, "olderThan");
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative: " + olderThan);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(PURGE)) {
            delete.setLong(1, olderThan.toMillis());
            long deleted = delete.executeUpdate();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return deleted;
        } catch (SQLException e) {
            throw new MessagingException("cannot purge the inbox", e);
        }
    }
}
