package io.chirp.tweet.events;

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
 * Where a record goes once its listener gave up on it (after its bounded retries):
 * {@link DeadLetterPublisher#giveUp}, counted per consumer. A failed offset commit is not a
 * poison record: the records come again.
 */
@Singleton
class DeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublisher publisher;
    private final MeterRegistry meters;

    DeadLetters(@Value("${kafka.bootstrap.servers}") String bootstrap, MeterRegistry meters) {
        this.publisher = new DeadLetterPublisher(bootstrap, "tweet-service-dead-letters", Topics.DEAD_LETTER_SUFFIX);
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
        if (publisher.giveUp(consumer, record, failure.getCause() != null ? failure.getCause() : failure)) {
            meters.counter("tweet.events.dead.lettered", "consumer", consumer).increment();
        }
    }

    @Override
    @PreDestroy
    public void close() {
        publisher.close();
    }
}
