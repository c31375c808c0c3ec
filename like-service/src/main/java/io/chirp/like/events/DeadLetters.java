package io.chirp.like.events;



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
 * A record that still fails after the listener's bounded retries goes to its topic's
 * dead-letter topic ({@link DeadLetterPublisher#giveUp}) and is counted, and consumption moves
 * on: a poison message never blocks a partition.
 */
@Singleton
@Replaces(DefaultKafkaListenerExceptionHandler.class)
class DeadLetters implements KafkaListenerExceptionHandler {

    private final DeadLetterPublisher publisher;
    private final Counter deadLettered;

    DeadLetters(@Value("${kafka.bootstrap.servers}") String bootstrap, MeterRegistry metrics) {
        this.publisher = new DeadLetterPublisher(bootstrap, "like-dead-letters", Topics.DEAD_LETTER_SUFFIX);
        this.deadLettered = Counter.builder("chirp.likes.dead.lettered")
                .description("events sent to a dead-letter topic after bounded retries").register(metrics);
    }

    @Override
    public void handle(KafkaListenerException exception) {
        exception.getConsumerRecord().ifPresent(raw -> {
            if (publisher.giveUp("like-service", raw, exception.getCause() != null ? exception.getCause() : exception)) {
                deadLettered.increment();
            }
        });
    }

    @PreDestroy
    void close() {
        publisher.close();
    }
}
