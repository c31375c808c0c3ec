package io.chirp.like.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.datastax.oss.driver.api.core.DriverException;

import io.chirp.like.domain.LikeCleanup;
import io.chirp.like.domain.LikeService;
import io.chirp.like.store.CassandraOutages;
import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.LikeSagaReply;
import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.messaging.DependencyDownException;
import io.chirp.platform.messaging.KafkaTracing;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.json.JsonMapper;
import io.opentelemetry.api.trace.Tracer;

/**
 * tweet-service's saga replies, tweet deletions and account deletions. Each handler is
 * idempotent. While Cassandra is down a record is applied again until it is back
 * ({@link DependencyDownException}); any other failure is the record's own and it is
 * dead-lettered at once ({@link DeadLetters}).
 */
@KafkaListener(groupId = "like-service", offsetReset = OffsetReset.EARLIEST,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryCount = DependencyDownException.RETRIES, retryDelay = DependencyDownException.RETRY_DELAY,
                exceptionTypes = DependencyDownException.class))
class LikeEventsListener {

    private final LikeService likes;
    private final LikeCleanup cleanup;
    private final LikeKafkaClient kafka;
    private final JsonMapper json;
    private final Clock clock;
    private final Tracer tracer;

    LikeEventsListener(LikeService likes, LikeCleanup cleanup, LikeKafkaClient kafka, JsonMapper json, Clock clock,
                       Tracer tracer) {
        this.likes = likes;
        this.cleanup = cleanup;
        this.kafka = kafka;
        this.json = json;
        this.clock = clock;
        this.tracer = tracer;
    }

    @Topic({Topics.LIKE_SAGA_REPLIES, Topics.TWEET_EVENTS, Topics.USER_EVENTS})
    void receive(ConsumerRecord<String, String> record) throws IOException {
        KafkaTracing.process(tracer, record, "like-service", () -> process(record));
    }

    private void process(ConsumerRecord<String, String> record) throws IOException {
        try {
            handle(record);
        } catch (RuntimeException e) {
            throw DependencyDownException.classify(e, "Cassandra",
                    cause -> cause instanceof DriverException driver && CassandraOutages.isOutage(driver));
        }
    }

    private void handle(ConsumerRecord<String, String> record) throws IOException {
        switch (header(record)) {
            case "LikeSagaReply" -> likes.onReply(json.readValue(record.value(), LikeSagaReply.class));
            case "TweetDeleted" -> cleanup.onTweetDeleted(json.readValue(record.value(), TweetDeleted.class).tweetId());
            case "UserDeletionRequested" -> {
                UserDeletionRequested event = json.readValue(record.value(), UserDeletionRequested.class);
                cleanup.onUserDeleted(event.userId());
                kafka.send(Topics.ACCOUNT_DELETION_REPLIES, Long.toString(event.userId()), "AccountDeletionStepDone",
                        new AccountDeletionStepDone(UUID.randomUUID(), clock.instant(),
                                AccountDeletionStepDone.SCHEMA_VERSION, event.deletionId(), event.userId(), "like-service"));
            }
            default -> {
                // events this service does not need
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("chirp-event-type");
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
