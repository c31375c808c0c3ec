package io.chirp.platform.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.Producer;

/**
 * The outbox relays of one service: one {@link OutboxRelay} per physical database, sharing
 * one idempotent producer ({@link KafkaProducers#idempotent}), started on construction.
 * {@link #close()} is idempotent: call it before the databases' pools close, so no relay
 * polls a closed pool.
 */
public final class OutboxRelayGroup implements AutoCloseable {

    private final Producer<String, String> producer;
    private final List<OutboxRelay> relays = new ArrayList<>();
    private boolean closed;

    /**
     * @param databases    physical database name → its pool
     * @param bootstrap    Kafka's bootstrap servers
     * @param clientId     the producer's client id, e.g. {@code user-service-outbox}
     * @param pollInterval how often an idle relay looks for new rows
     * @param batchSize    rows per batch (one transaction, one flush)
     */
    public OutboxRelayGroup(Map<String, DataSource> databases, String bootstrap, String clientId,
                            Duration pollInterval, int batchSize) {
        this.producer = KafkaProducers.idempotent(bootstrap, clientId);
        databases.forEach((name, dataSource) -> {
            OutboxRelay relay = new OutboxRelay(name, dataSource, producer, pollInterval, batchSize);
            relays.add(relay);
            relay.start();
        });
    }

    /** Every relay (tests pause and resume them to stand for a crash between commit and publish). */
    public List<OutboxRelay> relays() {
        return List.copyOf(relays);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        relays.forEach(OutboxRelay::close);
        producer.close(Duration.ofSeconds(5));
    }
}
