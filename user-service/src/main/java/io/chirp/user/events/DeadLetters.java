package io.chirp.user.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.Topics;
import io.chirp.platform.messaging.DeadLetterPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Where a record goes once its listener gave up on it (after its bounded retries): the raw
 * record, key, value and headers unchanged, to {@code <topic>.dlt}, plus headers naming the
 * consumer ({@value #CONSUMER_HEADER}) and the failure's type ({@value #ERROR_HEADER}). The copy
 * is acknowledged before consumption moves on, so a record is never dropped silently: if the
 * dead-letter topic cannot be written either, that is logged as an error with the record's
 * coordinates.
 */
@Singleton
class DeadLetters implements AutoCloseable {

    static final String CONSUMER_HEADER = "chirp-dlt-consumer";
    static final String ERROR_HEADER = "chirp-dlt-error";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublisher publisher;
    private final MeterRegistry meters;

    DeadLetters(@Value("${kafka.bootstrap.servers}") String bootstrap, MeterRegistry meters) {
        this.publisher = new DeadLetterPublisher(bootstrap, "user-service-dead-letters", Topics.DEAD_LETTER_SUFFIX);
        this.meters = meters;
    }

    /** Handles the listener failure micronaut-kafka reports once the retries are spent. */
    void handle(String consumer, KafkaListenerException failure) {
        if (failure.getCause() instanceof CommitFailedException) {
            LOG.warn("{}: offset commit failed; the records will be delivered again: {}", consumer,
                    failure.getCause().toString());
            return;
        }
        ConsumerRecord<?, ?> record = failure.getConsumerRecord().orElse(null);
        if (record == null) {
            LOG.error("{}: listener failure without a record", consumer, failure);
            return;
        }
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        LOG.warn("{}: giving up on {}-{}@{} after its retries; sending it to {}", consumer, record.topic(),
                record.partition(), record.offset(), Topics.deadLetter(record.topic()), cause);
        // the consumed record is not used again: its headers carry the reason along
        record.headers().add(CONSUMER_HEADER, consumer.getBytes(StandardCharsets.UTF_8));
        record.headers().add(ERROR_HEADER, cause.getClass().getName().getBytes(StandardCharsets.UTF_8));
        try {
            publisher.publish(record);
            meters.counter("user.events.dead.lettered", "consumer", consumer).increment();
        } catch (IllegalStateException e) {
            LOG.error("{}: could not dead-letter {}-{}@{}; the record is skipped", consumer, record.topic(),
                    record.partition(), record.offset(), e);
        }
    }

    @Override
    @PreDestroy
    public void close() {
        publisher.close();
    }
}
