package io.chirp.user.events;

import java.io.IOException;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.messaging.DependencyDownException;
import io.chirp.platform.messaging.KafkaTracing;
import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.user.domain.UserStore;
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
 * Keeps each user's {@code tweetCount} from tweet-service's events: TweetCreated (a tweet,
 * reply or retweet) +1, TweetDeleted −1, each applied once (an idempotent consumer, see
 * {@link UserStore#applyTweetCount}); the count is eventually consistent, usually within a
 * second of the post.
 * <p>
 * Failures: while the user's shard is down the record is applied again until it is back
 * ({@link DependencyDownException}); any other failure is the record's own and it goes at once to
 * {@code chirp.tweet.events.dlt}.
 */
@KafkaListener(groupId = TweetCountListener.NAME, offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryCount = DependencyDownException.RETRIES, retryDelay = DependencyDownException.RETRY_DELAY,
                exceptionTypes = DependencyDownException.class))
class TweetCountListener implements KafkaListenerExceptionHandler {

    static final String NAME = "user-service.tweet-counts";

    private final UserStore users;
    private final JsonMapper json;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Tracer tracer;

    TweetCountListener(UserStore users, JsonMapper json, DeadLetters deadLetters, MeterRegistry meters, Tracer tracer) {
        this.users = users;
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
        String type = AccountDeletionRepliesListener.header(record, OutboxRelay.EVENT_TYPE_HEADER);
        String outcome = "ignored";
        try {
            outcome = switch (type) {
                case "TweetCreated" -> {
                    TweetCreated event = json.readValue(record.value(), TweetCreated.class);
                    yield applied(users.applyTweetCount(event.eventId(), event.authorId(), 1));
                }
                case "TweetDeleted" -> {
                    TweetDeleted event = json.readValue(record.value(), TweetDeleted.class);
                    yield applied(users.applyTweetCount(event.eventId(), event.authorId(), -1));
                }
                default -> "ignored";
            };
        } catch (IOException e) {
            outcome = "failed";
            throw e;
        } catch (RuntimeException e) {
            outcome = "failed";
            throw DependencyDownException.classify(e, "a database shard", ShardJdbc::isOutage);
        } finally {
            meters.counter("user.events.consumed", "consumer", NAME, "type", type, "outcome", outcome).increment();
        }
    }

    private static String applied(boolean first) {
        return first ? "processed" : "duplicate";
    }

    @Override
    public void handle(KafkaListenerException exception) {
        deadLetters.handle(NAME, exception);
    }
}
