package io.chirp.platform.messaging;

import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka producers configured for the outbox relay: durable, ordered per partition and without
 * broker-side duplicates caused by the producer's own retries.
 * <p>
 * Settings of {@link #idempotent}:
 * <ul>
 *   <li>{@code acks=all}: a send is acknowledged only once every in-sync replica has it, so a
 *       row is never marked sent for a record a broker failure can lose;</li>
 *   <li>{@code enable.idempotence=true}: the producer's retries neither duplicate nor reorder
 *       records within a partition (with the default {@code max.in.flight.requests.per.connection}
 *       of 5); this does <em>not</em> remove the relay's own at-least-once republishing after a
 *       crash, which consumers absorb with {@link Inbox};</li>
 *   <li>String key and value serializers (key = aggregate id, value = JSON payload);</li>
 *   <li>{@code linger.ms=5}: a relay batch leaves in a few requests rather than one per row;</li>
 *   <li>{@code delivery.timeout.ms=30000}, {@code request.timeout.ms=10000}: an unreachable
 *       broker fails a relay batch within 30 s, which bounds how long a batch holds its row locks.</li>
 * </ul>
 * A producer is thread-safe and meant to be shared by all relays of a service; its owner closes it.
 */
public final class KafkaProducers {

    private KafkaProducers() {
    }

    /**
     * A new idempotent producer with the settings above.
     *
     * @param bootstrapServers comma-separated {@code host:port} list
     * @param clientId         the {@code client.id} shown in broker logs and metrics
     * @throws org.apache.kafka.common.KafkaException if the configuration is rejected
     */
    public static Producer<String, String> idempotent(String bootstrapServers, String clientId) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(clientId, "clientId");
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
