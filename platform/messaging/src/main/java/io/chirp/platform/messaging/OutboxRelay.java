package io.chirp.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the committed rows of one physical database's {@code outbox} table to Kafka and
 * marks them sent: the "polling publisher" half of the transactional outbox.
 * <p>
 * <b>One batch</b> ({@link #relayOnce()}) is one JDBC transaction: lock up to {@code batchSize}
 * unsent rows in {@code id} order with {@code FOR UPDATE SKIP LOCKED}; send each as a
 * {@code ProducerRecord(topic, message_key, payload)} with the headers
 * {@value #EVENT_ID_HEADER} (the event id, UTF-8) and {@value #EVENT_TYPE_HEADER} (the event
 * type, UTF-8), and {@value KafkaTracing#TRACEPARENT_HEADER} when the row was appended inside a
 * span (the stored W3C trace context; no header otherwise); wait for every acknowledgement; set {@code sent_at = now()} on the rows; commit.
 * If a send fails, nothing more of the batch is sent, the transaction rolls back and the rows are
 * retried from the first unsent one on the next poll; a warning names the relay, the event id
 * and the topic, never the payload.
 * <p>
 * <b>Guarantees.</b>
 * <ul>
 *   <li><em>At-least-once</em>: a row is marked sent only after the broker acknowledged it. A
 *       crash, a failed send or a failed commit after some acknowledgements republishes those
 *       rows, so consumers deduplicate by event id ({@link Inbox}).</li>
 *   <li><em>Order per key</em>: rows are sent in {@code id} order and a batch starts only after
 *       the previous one was acknowledged, so the records of one key (one partition) follow
 *       outbox order; a republished row may reappear after later events of its key. This holds
 *       for one relay per database: with several relays on one database (e.g. several instances
 *       of a service) each row is still published by one batch at a time (SKIP LOCKED), but two
 *       relays' concurrent batches may interleave the events of a key.</li>
 *   <li>Rows committed while the relay is paused, stopped or unable to reach Kafka stay in the
 *       outbox ({@link Outbox#backlog}) and are published when it runs again.</li>
 * </ul>
 * <b>Scheduling.</b> {@link #start()} runs batches on one daemon thread named
 * {@code outbox-relay-<name>}: every {@code pollInterval} (measured from the end of the previous
 * poll), and back to back while batches come back full, so a backlog drains at Kafka's pace
 * rather than one batch per interval. Exceptions of a poll are logged and the next poll runs.
 * <p>
 * A batch holds its row locks and a connection while waiting for acknowledgements, at most the
 * producer's {@code delivery.timeout.ms} (30 s with {@link KafkaProducers#idempotent}).
 * <p>
 * Thread-safe. The producer is shared and owned by the caller: {@link #close()} does not close it.
 * <p>
 * Pattern: Chris Richardson, "Pattern: Transactional outbox" and "Pattern: Polling publisher",
 * <a href="https://microservices.io/patterns/data/transactional-outbox.html">microservices.io</a>.
 */
public final class OutboxRelay implements AutoCloseable {

    /** Header carrying the event id (UUID text, UTF-8), for consumers' deduplication. */
    public static final String EVENT_ID_HEADER = "chirp-event-id";
    /** Header carrying the event type (UTF-8), for consumers' dispatch. */
    public static final String EVENT_TYPE_HEADER = "chirp-event-type";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    /** How long {@link #close()} lets a batch in flight finish before interrupting it. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    private static final String LOCK_UNSENT = "SELECT id, event_id, topic, message_key, event_type, payload::text, trace_parent"
            + " FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String MARK_SENT = "UPDATE outbox SET sent_at = now() WHERE id = ANY(?)";
    private static final String PURGE_SENT = "DELETE FROM outbox WHERE sent_at <= now() - (? * interval '1 millisecond')";

    private final String name;
    private final DataSource dataSource;
    private final Producer<String, String> producer;
    private final Duration pollInterval;
    private final int batchSize;

    private final Object lifecycle = new Object();
    private ScheduledExecutorService scheduler; // guarded by lifecycle
    private boolean closed; // guarded by lifecycle
    private volatile boolean stopping;
    private volatile boolean paused;
    private int failedPolls; // scheduler thread only

    /**
     * @param name         names the relay in its thread and its log lines, e.g. the datasource
     *                     name {@code shard0}
     * @param dataSource   the physical database whose {@code outbox} table this relay drains
     * @param producer     a shared producer with String key and value (see
     *                     {@link KafkaProducers#idempotent}); not closed by this relay
     * @param pollInterval the pause between polls once the outbox is drained; positive
     * @param batchSize    the most rows locked, sent and marked in one transaction; at least 1
     * @throws IllegalArgumentException if {@code name} is blank, {@code pollInterval} is not
     *                                  positive or {@code batchSize} is less than 1
     */
    public OutboxRelay(String name, DataSource dataSource, Producer<String, String> producer,
                       Duration pollInterval, int batchSize) {
        this.name = Objects.requireNonNull(name, "name");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.batchSize = batchSize;
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /**
     * Starts polling on the daemon thread {@code outbox-relay-<name>}; the first poll runs at once.
     *
     * @throws IllegalStateException if the relay was already started or is closed
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("outbox relay " + name + " is closed");
            }
            if (scheduler != null) {
                throw new IllegalStateException("outbox relay " + name + " is already started");
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "outbox-relay-" + name);
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::poll, 0, pollInterval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Stops publishing: no batch starts until {@link #resume()}, neither on the scheduler thread
     * nor through {@link #relayOnce()}. A batch already sending finishes. Rows committed meanwhile
     * wait in the outbox, as they would if the service had died between commit and publish.
     */
    public void pause() {
        paused = true;
    }

    /** Lets batches run again after {@link #pause()}; the scheduler's next poll publishes the backlog. */
    public void resume() {
        paused = false;
    }

    /** Whether {@link #pause()} is in effect. */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Publishes one batch on the calling thread (see the class comment) and returns how many rows
     * it published and marked sent: {@code 0} when paused, when nothing is unsent (or every unsent
     * row is locked by another relay), or when a send failed and the batch was rolled back;
     * {@code batchSize} suggests more rows are waiting.
     *
     * @throws MessagingException if the database fails (the transaction is rolled back; rows
     *                            whose sends were acknowledged will be published again)
     */
    public int relayOnce() {
        if (paused) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                return publishBatch(connection);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                if (autoCommit && !connection.isClosed()) {
                    connection.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new MessagingException("outbox relay " + name + " could not relay a batch", e);
        }
    }

    /**
     * Deletes rows sent at least {@code olderThan} ago (database clock); unsent rows are never
     * deleted. Run it periodically (e.g. daily with a few days' margin) to keep the table small.
     *
     * @return the number of rows deleted
     * @throws MessagingException if the delete fails
     * @throws IllegalArgumentException if {@code olderThan} is negative
     */
    public long purgeSent(Duration olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative: " + olderThan);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(PURGE_SENT)) {
            delete.setLong(1, olderThan.toMillis());
            long deleted = delete.executeUpdate();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return deleted;
        } catch (SQLException e) {
            throw new MessagingException("outbox relay " + name + " could not purge sent rows", e);
        }
    }

    /**
     * Stops the scheduler thread: no new poll starts, a batch in flight gets up to 30 s to finish
     * (then it is interrupted and rolled back). Idempotent. Does not close the producer.
     */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = true;
            running = scheduler;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            if (!running.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "OutboxRelay[" + name + "]";
    }

    /** One scheduled poll: batches back to back while they come back full. Never throws. */
    private void poll() {
        try {
            int published;
            do {
                if (stopping || paused) {
                    break;
                }
                published = relayOnce();
            } while (published == batchSize);
            if (failedPolls > 0) {
                LOG.info("Outbox relay {} recovered after {} failed polls", name, failedPolls);
                failedPolls = 0;
            }
        } catch (RuntimeException | Error e) {
            // A thrown exception would cancel every later poll of scheduleWithFixedDelay.
            failedPolls++;
            if (failedPolls == 1) {
                LOG.warn("Outbox relay {} poll failed; retrying every {}", name, pollInterval, e);
            } else {
                LOG.warn("Outbox relay {} poll failed ({} in a row): {}", name, failedPolls,
                        e.getCause() != null ? e.getCause().toString() : e.toString());
            }
        }
    }

    private int publishBatch(Connection connection) throws SQLException {
        List<Row> rows = lockUnsent(connection);
        if (rows.isEmpty()) {
            connection.commit();
            return 0;
        }
        SendFailure failure = sendAll(rows);
        if (failure != null) {
            connection.rollback();
            LOG.warn("Outbox relay {} could not publish event {} to topic {}; rolled back a batch of {} rows,"
                            + " retrying on the next poll",
                    name, failure.row().eventId(), failure.row().topic(), rows.size(), failure.cause());
            if (failure.cause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
        markSent(connection, rows);
        connection.commit();
        return rows.size();
    }

    private List<Row> lockUnsent(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>(batchSize);
        try (PreparedStatement select = connection.prepareStatement(LOCK_UNSENT)) {
            select.setInt(1, batchSize);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return rows;
    }

    /**
     * Sends the rows in order and waits for every acknowledgement; returns the first failure, or
     * {@code null} when all were acknowledged. A send that throws stops the sending, so no later
     * row overtakes it; sends already made are still awaited, so the row locks outlive them.
     */
    private SendFailure sendAll(List<Row> rows) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        SendFailure failure = null;
        for (Row row : rows) {
            try {
                acks.add(producer.send(row.toRecord()));
            } catch (RuntimeException e) {
                failure = new SendFailure(row, e);
                break;
            }
        }
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (ExecutionException e) {
                if (failure == null || failure.index(rows) > i) {
                    failure = new SendFailure(rows.get(i), e.getCause() != null ? e.getCause() : e);
                }
            } catch (InterruptedException e) {
                // close() gave up waiting: roll back, the rows are published again later
                return new SendFailure(rows.get(i), e);
            }
        }
        return failure;
    }

    private void markSent(Connection connection, List<Row> rows) throws SQLException {
        Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
        Array idArray = connection.createArrayOf("bigint", ids);
        try (PreparedStatement update = connection.prepareStatement(MARK_SENT)) {
            update.setArray(1, idArray);
            update.executeUpdate();
        } finally {
            idArray.free();
        }
    }

    private void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private record Row(long id, UUID eventId, String topic, String key, String eventType, String payload,
                       String traceParent) {

        ProducerRecord<String, String> toRecord() {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, payload);
            record.headers()
                    .add(EVENT_ID_HEADER, eventId.toString().getBytes(StandardCharsets.UTF_8))
                    .add(EVENT_TYPE_HEADER, eventType.getBytes(StandardCharsets.UTF_8));
            if (traceParent != null) {
                record.headers().add(KafkaTracing.TRACEPARENT_HEADER, traceParent.getBytes(StandardCharsets.UTF_8));
            }
            return record;
        }
    }

    private record SendFailure(Row row, Throwable cause) {

        int index(List<Row> rows) {
            return rows.indexOf(row);
        }
    }
}
