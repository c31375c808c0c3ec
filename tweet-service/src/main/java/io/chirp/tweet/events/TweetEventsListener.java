package io.chirp.tweet.events;

import java.io.IOException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.messaging.DependencyDownException;
import io.chirp.platform.messaging.KafkaTracing;
import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.tweet.domain.CounterService;
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
 * Consumes this service's own {@link Topics#TWEET_EVENTS} to keep the parents' reply and
 * retweet counters right when the request that posted or deleted a child died between its
 * commit and the parent's increment (see {@link CounterService}). Normally every change it
 * applies was applied already, and it changes nothing (outcome {@code processed}); a change it
 * had to make itself is counted as {@code repaired}.
 * <p>
 * Failures: while a database shard is down the record is applied again until it is back
 * ({@link DependencyDownException}); any other failure is the record's own and it goes at once to
 * {@code chirp.tweet.events.dlt}.
 */
@KafkaListener(groupId = "tweet-service.counters", offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryCount = DependencyDownException.RETRIES, retryDelay = DependencyDownException.RETRY_DELAY,
                exceptionTypes = DependencyDownException.class))
class TweetEventsListener implements KafkaListenerExceptionHandler {

    static final String NAME = "tweet-service.counters";

    private static final Logger LOG = LoggerFactory.getLogger(TweetEventsListener.class);

    private final CounterService counters;
    private final JsonMapper json;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Tracer tracer;

    TweetEventsListener(CounterService counters, JsonMapper json, DeadLetters deadLetters, MeterRegistry meters,
                        Tracer tracer) {
        this.counters = counters;
        this.json = json;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.tracer = tracer;
    }

    @Topic(Topics.TWEET_EVENTS)
    void receive(ConsumerRecord<String, String> record) throws IOException {
        KafkaTracing.process(tracer, record, NAME, () -> process(record));
    }

    private void process(ConsumerRecord<String, String> record) throws IOException {
        String type = UserEventsListener.header(record, OutboxRelay.EVENT_TYPE_HEADER);
        String outcome = "ignored";
        try {
            int applied = switch (type) {
                case "TweetCreated" -> counters.onTweetCreated(json.readValue(record.value(), TweetCreated.class));
                case "TweetDeleted" -> counters.onTweetDeleted(json.readValue(record.value(), TweetDeleted.class));
                default -> -1;
            };
            // "repaired": the request that caused the change did not get to apply it
            outcome = applied < 0 ? "ignored" : applied > 0 ? "repaired" : "processed";
        } catch (IOException | RuntimeException e) {
            outcome = "failed";
            LOG.warn("{}: {} at {}-{}@{} failed: {}", NAME, type, record.topic(), record.partition(), record.offset(),
                    e.toString());
            if (e instanceof RuntimeException failure) {
                throw DependencyDownException.classify(failure, "a database shard", ShardJdbc::isOutage);
            }
            throw e;
        } finally {
            meters.counter("tweet.events.consumed", "consumer", NAME, "type", type, "outcome", outcome).increment();
        }
    }

    @Override
    public void handle(KafkaListenerException exception) {
        deadLetters.handle(NAME, exception);
    }
}
