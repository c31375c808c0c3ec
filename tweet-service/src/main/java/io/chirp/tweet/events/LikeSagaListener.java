package io.chirp.tweet.events;

import java.io.IOException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.LikeSagaCommand;
import io.chirp.platform.events.Topics;
import io.chirp.platform.messaging.DependencyDownException;
import io.chirp.platform.messaging.KafkaTracing;
import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.tweet.domain.LikeSagaService;
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
 * Consumes {@link Topics#LIKE_SAGA_COMMANDS} from like-service and answers each on
 * {@link Topics#LIKE_SAGA_REPLIES} through the outbox (see {@link LikeSagaService}).
 * <p>
 * Failures: while a database shard is down the record is applied again until it is back
 * ({@link DependencyDownException}); any other failure is the record's own and it goes at once to
 * {@code chirp.like-saga.commands.dlt}.
 */
@KafkaListener(groupId = "tweet-service.like-saga", offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryCount = DependencyDownException.RETRIES, retryDelay = DependencyDownException.RETRY_DELAY,
                exceptionTypes = DependencyDownException.class))
class LikeSagaListener implements KafkaListenerExceptionHandler {

    static final String NAME = "tweet-service.like-saga";

    private static final Logger LOG = LoggerFactory.getLogger(LikeSagaListener.class);

    private final LikeSagaService likes;
    private final JsonMapper json;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Tracer tracer;

    LikeSagaListener(LikeSagaService likes, JsonMapper json, DeadLetters deadLetters, MeterRegistry meters,
                     Tracer tracer) {
        this.likes = likes;
        this.json = json;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.tracer = tracer;
    }

    @Topic(Topics.LIKE_SAGA_COMMANDS)
    void receive(ConsumerRecord<String, String> record) throws IOException {
        KafkaTracing.process(tracer, record, NAME, () -> process(record));
    }

    private void process(ConsumerRecord<String, String> record) throws IOException {
        String type = UserEventsListener.header(record, OutboxRelay.EVENT_TYPE_HEADER);
        String outcome = "ignored";
        try {
            if ("LikeSagaCommand".equals(type) || type.isEmpty()) {
                outcome = likes.onCommand(json.readValue(record.value(), LikeSagaCommand.class))
                        ? "confirmed" : "refused";
            }
        } catch (IOException | RuntimeException e) {
            outcome = "failed";
            LOG.warn("{}: {} at {}-{}@{} failed: {}", NAME, type, record.topic(), record.partition(), record.offset(),
                    e.toString());
            if (e instanceof RuntimeException failure) {
                throw DependencyDownException.classify(failure, "a database shard", ShardJdbc::isOutage);
            }
            throw e;
        } finally {
            meters.counter("tweet.events.consumed", "consumer", NAME, "type", "LikeSagaCommand", "outcome", outcome)
                    .increment();
        }
    }

    @Override
    public void handle(KafkaListenerException exception) {
        deadLetters.handle(NAME, exception);
    }
}
