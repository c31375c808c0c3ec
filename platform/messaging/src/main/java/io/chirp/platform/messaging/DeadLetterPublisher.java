package io.chirp.platform.messaging;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Copies a record that its consumer could not handle after bounded retries, key, value and
 * headers, to the dead-letter topic {@code <topic><suffix>} and waits for the acknowledgement,
 * so the consumer can move on without losing it (Enterprise Integration Patterns, "Dead
 * Letter Channel"). Consumers wire it into their framework's error handler.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final KafkaProducer<String, String> producer;
    private final String suffix;

    /**
     * @param bootstrapServers Kafka's bootstrap servers
     * @param clientId         names the producer in broker logs and metrics
     * @param suffix           appended to the source topic, e.g. {@code .dlt}
     */
    public DeadLetterPublisher(String bootstrapServers, String clientId, String suffix) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.CLIENT_ID_CONFIG, clientId),
                new StringSerializer(), new StringSerializer());
        this.suffix = suffix;
    }

    /**
     * @return the dead-letter topic written to
     * @throws IllegalStateException when Kafka does not acknowledge the copy
     */
    public String publish(ConsumerRecord<?, ?> record) {
        String topic = record.topic() + suffix;
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key() == null ? null : String.valueOf(record.key()),
                    record.value() == null ? null : String.valueOf(record.value()), record.headers()))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            return topic;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not dead-letter " + record.topic() + "@" + record.offset(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + record.topic(), e);
        }
    }

    /** Header naming the consumer that gave up on the record. */
    public static final String CONSUMER_HEADER = "chirp-dlt-consumer";
    /** Header naming the type of the failure. */
    public static final String ERROR_HEADER = "chirp-dlt-error";

    /**
     * A consumer gives up on {@code record} after its bounded retries: the record, with headers
     * naming the consumer ({@value #CONSUMER_HEADER}) and the failure's type
     * ({@value #ERROR_HEADER}) added, goes to the dead-letter topic. Never throws: when even the
     * dead-letter topic cannot be written, that is logged as an error with the record's
     * coordinates, and consumption moves on.
     *
     * @return true when the copy was acknowledged
     */
    public boolean giveUp(String consumer, ConsumerRecord<?, ?> record, Throwable cause) {
        LOG.warn("{}: giving up on {}-{}@{} after its retries; sending it to {}{}", consumer, record.topic(),
                record.partition(), record.offset(), record.topic(), suffix, cause);
        // the consumed record is not used again: its headers carry the reason along
        record.headers().add(CONSUMER_HEADER, consumer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        record.headers().add(ERROR_HEADER, cause.getClass().getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            publish(record);
            return true;
        } catch (IllegalStateException e) {
            LOG.error("{}: could not dead-letter {}-{}@{}; the record is skipped", consumer, record.topic(),
                    record.partition(), record.offset(), e);
            return false;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
