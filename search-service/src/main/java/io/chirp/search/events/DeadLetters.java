package io.chirp.search.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
 * Records this service cannot index go, headers and all, to their topic's dead-letter topic
 * ({@code <topic>.dlt}) with two more headers naming the consumer ({@value #CONSUMER_HEADER})
 * and the failure's type ({@value #ERROR_HEADER}), and consumption moves on: a poison message never blocks a partition.
 * Two ways in: the listener sends a record that can never succeed (undecodable, or refused by
 * the index mapping) at once; a batch that still fails after the listener's bounded retries
 * (the engine stayed down) arrives here as a {@link KafkaListenerException}.
 */
@Singleton
@Replaces(DefaultKafkaListenerExceptionHandler.class)
class DeadLetters implements KafkaListenerExceptionHandler {

    /** Header naming the consumer that gave up, as tweet-service's dead letters carry it. */
    static final String CONSUMER_HEADER = "chirp-dlt-consumer";
    /** Header naming the failure's type. */
    static final String ERROR_HEADER = "chirp-dlt-error";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final KafkaProducer<String, String> producer;
    private final Counter deadLettered;

    DeadLetters(@Value("${kafka.bootstrap.servers}") String bootstrap, MeterRegistry metrics) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.CLIENT_ID_CONFIG, "search-dead-letters"),
                new StringSerializer(), new StringSerializer());
        this.deadLettered = Counter.builder("chirp.search.dead.lettered")
                .description("events sent to a dead-letter topic (undecodable, refused, or failing after bounded retries)")
                .register(metrics);
    }

    @Override
    public void handle(KafkaListenerException exception) {
        if (exception.getCause() instanceof CommitFailedException) {
            // nothing is lost: the records are delivered again after the rebalance
            LOG.warn("offset commit failed; the records will be delivered again: {}", exception.getCause().toString());
            return;
        }
        List<ConsumerRecord<?, ?>> records = new ArrayList<>();
        exception.getConsumerRecords().ifPresentOrElse(batch -> batch.forEach(records::add),
                () -> exception.getConsumerRecord().ifPresent(records::add));
        for (ConsumerRecord<?, ?> record : records) {
            send(record, exception.getCause());
        }
    }

    /** Copies {@code record} to its dead-letter topic and waits for the broker's acknowledgement. */
    void send(ConsumerRecord<?, ?> record, Throwable reason) {
        String topic = Topics.deadLetter(record.topic());
        LOG.error("dead-lettering {}-{}@{} to {}", record.topic(), record.partition(), record.offset(), topic, reason);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(CONSUMER_HEADER, "search-service".getBytes(StandardCharsets.UTF_8));
        headers.add(ERROR_HEADER, (reason == null ? "unknown" : reason.getClass().getName()).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key() == null ? null : String.valueOf(record.key()),
                    String.valueOf(record.value()), headers)).get();
            deadLettered.increment();
        } catch (Exception e) {
            throw new IllegalStateException("could not dead-letter " + record.topic() + "@" + record.offset(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
