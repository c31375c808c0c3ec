package io.chirp.tweet.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.common.header.Header;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserRegistered;
import io.chirp.platform.events.UserUpdated;
import io.chirp.platform.messaging.DependencyDownException;
import io.chirp.platform.messaging.KafkaTracing;
import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.tweet.domain.AuthorService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import io.micronaut.json.JsonMapper;
import io.opentelemetry.api.trace.Tracer;

/**
 * Consumes {@link Topics#USER_EVENTS}: UserRegistered and UserUpdated keep the authors'
 * usernames; UserDeletionRequested runs this service's step of the account-deletion saga. Other
 * user events are not this service's concern. Each handler is idempotent (the inbox, in the
 * handler's transaction).
 * <p>
 * Failures: while a database shard is down the record is applied again until it is back
 * ({@link DependencyDownException}; consumption of its partition paused meanwhile); any other
 * failure is the record's own: it is sent at once to {@code chirp.user.events.dlt} and
 * consumption moves on.
 */
@KafkaListener(groupId = "tweet-service", offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryCount = DependencyDownException.RETRIES, retryDelay = DependencyDownException.RETRY_DELAY,
                exceptionTypes = DependencyDownException.class))
class UserEventsListener implements KafkaListenerExceptionHandler {

    /** The first delivery and two retries. */
    static final String NAME = "tweet-service.user-events";

    private static final Logger LOG = LoggerFactory.getLogger(UserEventsListener.class);

    private final AuthorService authors;
    private final JsonMapper json;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Tracer tracer;

    UserEventsListener(AuthorService authors, JsonMapper json, DeadLetters deadLetters, MeterRegistry meters,
                       Tracer tracer) {
        this.authors = authors;
        this.json = json;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.tracer = tracer;
    }

    @Topic(Topics.USER_EVENTS)
    void receive(ConsumerRecord<String, String> record) throws IOException {
        KafkaTracing.process(tracer, record, NAME, () -> process(record));
    }

    private void process(ConsumerRecord<String, String> record) throws IOException {
        String type = header(record, OutboxRelay.EVENT_TYPE_HEADER);
        try {
            count(type, handle(type, record.value()));
        } catch (IOException | RuntimeException e) {
            count(type, "failed");
            LOG.warn("{}: {} at {}-{}@{} failed: {}", NAME, type, record.topic(), record.partition(), record.offset(),
                    e.toString());
            if (e instanceof RuntimeException failure) {
                throw DependencyDownException.classify(failure, "a database shard", ShardJdbc::isOutage);
            }
            throw e;
        }
    }

    /** @return the outcome: processed, duplicate (a redelivery, no effect) or ignored */
    private String handle(String type, String payload) throws IOException {
        boolean first;
        switch (type) {
            case "UserRegistered" -> {
                UserRegistered e = json.readValue(payload, UserRegistered.class);
                first = authors.onUsername(e.eventId(), e.userId(), e.username());
            }
            case "UserUpdated" -> {
                UserUpdated e = json.readValue(payload, UserUpdated.class);
                first = authors.onUsername(e.eventId(), e.userId(), e.username());
            }
            case "UserDeletionRequested" ->
                    first = authors.onDeletionRequested(json.readValue(payload, UserDeletionRequested.class));
            case "" -> throw new IllegalArgumentException("no " + OutboxRelay.EVENT_TYPE_HEADER + " header");
            default -> {
                return "ignored";
            }
        }
        return first ? "processed" : "duplicate";
    }

    private void count(String type, String outcome) {
        meters.counter("tweet.events.consumed", "consumer", NAME, "type", type, "outcome", outcome).increment();
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void handle(KafkaListenerException exception) {
        deadLetters.handle(NAME, exception);
    }
}
