package io.chirp.timeline.events;

import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.Topics;
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

    private final KafkaProducer<String, String> producer;
    private final Counter deadLettered;

    DeadLetters(@Value("${kafka.bootstrap.servers}") String bootstrap, MeterRegistry metrics) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.CLIENT_ID_CONFIG, "timeline-dead-letters"),
                new StringSerializer(), new StringSerializer());
        this.deadLettered = Counter.builder("chirp.timeline.dead.lettered")
                .description("events sent to a dead-letter topic after bounded retries").register(metrics);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void handle(KafkaListenerException exception) {
        exception.getConsumerRecord().ifPresent(raw -> {
            var record = (org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object>) raw;
            String topic = Topics.deadLetter(record.topic());
            LOG.error("dead-lettering {}-{}@{} to {}", record.topic(), record.partition(), record.offset(), topic,
                    exception.getCause());
            try {
                producer.send(new ProducerRecord<>(topic, null, String.valueOf(record.key()),
                        String.valueOf(record.value()), record.headers())).get();
                deadLettered.increment();
            } catch (Exception e) {
                throw new IllegalStateException("could not dead-letter " + record.topic() + "@" + record.offset(), e);
            }
        });
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
