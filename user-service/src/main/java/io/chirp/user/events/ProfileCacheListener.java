package io.chirp.user.events;

import java.io.IOException;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.UserDeleted;
import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserFollowed;
import io.chirp.platform.events.UserUnfollowed;
import io.chirp.platform.events.UserUpdated;
import io.chirp.platform.messaging.DependencyDownException;
import io.chirp.platform.messaging.KafkaTracing;
import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.user.cache.ProfileCache;
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
 * Invalidates cached profiles ({@link ProfileCache}) on user-service's own events, which its
 * outbox publishes at least once for every committed change of a cached field: UserUpdated,
 * UserDeletionRequested and UserDeleted (the user's key), UserFollowed and UserUnfollowed (both
 * users' keys: the counts). This is the invalidation that cannot be lost; the delete each write
 * does after its commit is the fast one. One consumer group for all instances: the cache is one
 * Redis, so one delete per event is enough (an instance-local cache would need a group per
 * instance). Deleting is idempotent, so a redelivery is harmless.
 * <p>
 * Failures: while Redis is unreachable the record is applied again until it is back
 * ({@link DependencyDownException}), so no invalidation is skipped; an unreadable record goes at
 * once to {@code chirp.user.events.dlt}.
 */
@KafkaListener(groupId = ProfileCacheListener.NAME, offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryCount = DependencyDownException.RETRIES, retryDelay = DependencyDownException.RETRY_DELAY,
                exceptionTypes = DependencyDownException.class))
class ProfileCacheListener implements KafkaListenerExceptionHandler {

    static final String NAME = "user-service.profile-cache";

    private final ProfileCache cache;
    private final JsonMapper json;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Tracer tracer;

    ProfileCacheListener(ProfileCache cache, JsonMapper json, DeadLetters deadLetters, MeterRegistry meters,
                         Tracer tracer) {
        this.cache = cache;
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
        String type = AccountDeletionRepliesListener.header(record, OutboxRelay.EVENT_TYPE_HEADER);
        String outcome = "ignored";
        try {
            List<Long> users = switch (type) {
                case "UserUpdated" -> List.of(json.readValue(record.value(), UserUpdated.class).userId());
                case "UserDeletionRequested" ->
                        List.of(json.readValue(record.value(), UserDeletionRequested.class).userId());
                case "UserDeleted" -> List.of(json.readValue(record.value(), UserDeleted.class).userId());
                case "UserFollowed" -> {
                    UserFollowed event = json.readValue(record.value(), UserFollowed.class);
                    yield List.of(event.followerId(), event.followeeId());
                }
                case "UserUnfollowed" -> {
                    UserUnfollowed event = json.readValue(record.value(), UserUnfollowed.class);
                    yield List.of(event.followerId(), event.followeeId());
                }
                default -> List.of();
            };
            if (!users.isEmpty()) {
                if (!cache.invalidate(users, "event")) {
                    throw new DependencyDownException("the profile cache's Redis",
                            new IllegalStateException("DEL " + users + " failed"));
                }
                outcome = "processed";
            }
        } catch (IOException | RuntimeException e) {
            outcome = "failed";
            throw e;
        } finally {
            meters.counter("user.events.consumed", "consumer", NAME, "type", type, "outcome", outcome).increment();
        }
    }

    @Override
    public void handle(KafkaListenerException exception) {
        deadLetters.handle(NAME, exception);
    }
}
