package io.chirp.like.events;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.Topics;
import io.chirp.platform.messaging.DeadLetterPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.exceptions.DefaultKafkaListenerExceptionHandler;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * A record that still fails after the listener's bounded retries is copied, headers and all,
 * to its topic's dead-letter topic ({@code <topic>.dlt}) and counted, and consumption moves on:
 * a poison message never blocks a partition.
 */
@Singleton
@Replaces(DefaultKafkaListenerExceptionHandler.class)
class DeadLetters implements KafkaListenerExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublisher publisher;
    private final Counter deadLettered;

    DeadLetters(@Value("${kafka.bootstrap.servers}") String bootstrap, MeterRegistry metrics) {
        this.publisher = new DeadLetterPublisher(bootstrap, "like-dead-letters", Topics.DEAD_LETTER_SUFFIX);
        this.deadLettered = Counter.builder("chirp.likes.dead.lettered")
                .description("events sent to a dead-letter topic after bounded retries").register(metrics);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void handle(KafkaListenerException exception) {
        exception.getConsumerRecord().ifPresent(raw -> {
            var record = (org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object>) raw;
            LOG.error("dead-lettering {}-{}@{}", record.topic(), record.partition(), record.offset(), exception.getCause());
            publisher.publish(record);
            deadLettered.increment();
        });
    }

    @PreDestroy
    void close() {
        publisher.close();
    }
}
