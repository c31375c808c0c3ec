package io.chirp.timeline.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.RedisException;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserFollowed;
import io.chirp.platform.events.UserUnfollowed;
import io.chirp.platform.messaging.DependencyDownException;
import io.chirp.platform.messaging.KafkaTracing;
import io.chirp.platform.web.DependencyUnavailableException;
import io.chirp.timeline.domain.FanoutService;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.opentelemetry.api.trace.Tracer;

/**
 * Consumes tweet and user events and keeps the feeds in step ({@link FanoutService}). Each
 * record is handled to the end before its offset is committed. While Redis (or a service the
 * step calls) is down, the record is applied again until it is back
 * ({@link DependencyDownException}); any other failure is the record's own and it goes to the
 * dead-letter topic at once ({@link DeadLetters}). Redelivery is harmless: every feed write is
 * idempotent.
 */
@KafkaListener(groupId = "timeline-service", offsetReset = OffsetReset.EARLIEST,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryCount = DependencyDownException.RETRIES, retryDelay = DependencyDownException.RETRY_DELAY,
                exceptionTypes = DependencyDownException.class))
class TimelineEventsListener {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(TimelineEventsListener.class);

    private final FanoutService fanout;
    private final JsonMapper json;
    private final DeletionReplies replies;
    private final Clock clock;
    private final Tracer tracer;

    TimelineEventsListener(FanoutService fanout, JsonMapper json, DeletionReplies replies, Clock clock, Tracer tracer) {
        this.fanout = fanout;
        this.json = json;
        this.replies = replies;
        this.clock = clock;
        this.tracer = tracer;
    }

    @Topic({Topics.TWEET_EVENTS, Topics.USER_EVENTS})
    void receive(ConsumerRecord<String, String> record) throws Exception {
        KafkaTracing.process(tracer, record, "timeline-service", () -> process(record));
    }

    private void process(ConsumerRecord<String, String> record) throws Exception {
        try {
            handle(record);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw DependencyDownException.classify(e, "the feed store or a service it reads",
                    TimelineEventsListener::isOutage);
        }
    }

    /** Redis refused, timed out or is disconnected; a call to another service failed to connect or timed out. */
    static boolean isOutage(Throwable failure) {
        return failure instanceof RedisException || failure instanceof TimeoutException
                || failure instanceof DependencyUnavailableException || failure instanceof HttpClientException
                && !(failure instanceof HttpClientResponseException response && response.code() < 500);
    }

    private void handle(ConsumerRecord<String, String> record) throws Exception {
        String type = header(record, "chirp-event-type");
        CompletionStage<?> step = switch (type) {
            case "TweetCreated" -> {
                TweetCreated event = parse(record, TweetCreated.class);
                int feeds = fanout.onTweetCreated(event).toCompletableFuture()
                        .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                // on the listener thread, in the record's span: the line carries the trace id
                LOG.info("fan-out of tweet {} to {} feeds", event.tweetId(), feeds);
                yield null;
            }
            case "TweetDeleted" -> fanout.onTweetDeleted(parse(record, TweetDeleted.class));
            case "UserFollowed" -> fanout.onFollowed(parse(record, UserFollowed.class));
            case "UserUnfollowed" -> fanout.onUnfollowed(parse(record, UserUnfollowed.class));
            case "UserDeletionRequested" -> {
                UserDeletionRequested event = parse(record, UserDeletionRequested.class);
                yield fanout.onUserDeletion(event.userId()).thenRun(() -> replies.send(Long.toString(event.userId()),
                        new AccountDeletionStepDone(UUID.randomUUID(), clock.instant(),
                                AccountDeletionStepDone.SCHEMA_VERSION, event.deletionId(), event.userId(),
                                "timeline-service")));
            }
            default -> null; // events this service does not need
        };
        if (step != null) {
            step.toCompletableFuture().get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private <T> T parse(ConsumerRecord<String, String> record, Class<T> type) throws IOException {
        return json.readValue(record.value(), type);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
