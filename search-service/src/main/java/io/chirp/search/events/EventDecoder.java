package io.chirp.search.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserRegistered;
import io.chirp.platform.events.UserUpdated;
import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.web.ApiTimestamps;
import io.chirp.search.domain.IndexChange;
import io.chirp.search.domain.TweetView;
import io.chirp.search.domain.UserProfile;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

/**
 * Turns a record of the tweet or user topic into the change it makes to the search documents,
 * by its {@code chirp-event-type} header. Events this service does not index (follows, and any
 * type it does not know) yield nothing.
 */
@Singleton
class EventDecoder {

    /** The header naming an event's type: the record's simple class name, e.g. {@code TweetCreated}. */
    static final String TYPE_HEADER = "chirp-event-type";

    private final JsonMapper json;

    EventDecoder(JsonMapper json) {
        this.json = json;
    }

    /** @throws Undecodable when the record cannot be read as its declared type: it never will be */
    Optional<IndexChange> decode(ConsumerRecord<String, String> record) {
        String type = header(record);
        try {
            return Optional.ofNullable(switch (type) {
                case "TweetCreated" -> tweetCreated(json.readValue(record.value(), TweetCreated.class));
                case "TweetDeleted" -> {
                    TweetDeleted e = json.readValue(record.value(), TweetDeleted.class);
                    yield new IndexChange.TweetTombstone(e.tweetId(), e.authorId(), IndexChange.versionOf(e.occurredAt()));
                }
                case "UserRegistered" -> {
                    UserRegistered e = json.readValue(record.value(), UserRegistered.class);
                    yield new IndexChange.UserUpsert(new UserProfile(e.userId(), Objects.requireNonNull(e.username()),
                            Objects.requireNonNullElse(e.displayName(), ""), "", ChirpId.timestamp(e.userId())),
                            IndexChange.versionOf(e.occurredAt()));
                }
                case "UserUpdated" -> {
                    UserUpdated e = json.readValue(record.value(), UserUpdated.class);
                    yield new IndexChange.UserUpsert(new UserProfile(e.userId(), Objects.requireNonNull(e.username()),
                            Objects.requireNonNullElse(e.displayName(), ""), Objects.requireNonNullElse(e.bio(), ""),
                            ChirpId.timestamp(e.userId())), IndexChange.versionOf(e.occurredAt()));
                }
                case "UserDeletionRequested" -> {
                    UserDeletionRequested e = json.readValue(record.value(), UserDeletionRequested.class);
                    yield new IndexChange.UserErasure(e.userId(), Objects.requireNonNull(e.deletionId()),
                            IndexChange.versionOf(e.occurredAt()));
                }
                // Extension point, not implemented: TweetLiked / TweetUnliked do not exist yet. When
                // like-service publishes them, a like-count change must not be an external-version
                // write (it would need the whole document); see README, "Not done yet".
                default -> null;
            });
        } catch (IOException | RuntimeException e) {
            throw new Undecodable(type + " at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + ": " + e.getMessage(), e);
        }
    }

    private static IndexChange tweetCreated(TweetCreated e) {
        TweetView tweet = new TweetView(Long.toString(e.tweetId()), Long.toString(e.authorId()),
                Objects.requireNonNull(e.authorUsername(), "authorUsername"), Objects.requireNonNull(e.text(), "text"),
                ApiTimestamps.format(Objects.requireNonNull(e.createdAt(), "createdAt")),
                e.replyToId() == null ? null : Long.toString(e.replyToId()),
                e.retweetOfId() == null ? null : Long.toString(e.retweetOfId()),
                e.hashtags() == null ? List.of() : e.hashtags(), e.mentions() == null ? List.of() : e.mentions(), 0, 0, 0);
        return new IndexChange.TweetUpsert(tweet, IndexChange.versionOf(Objects.requireNonNull(e.occurredAt())));
    }

    private static String header(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(TYPE_HEADER);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A record that cannot be read as the event its header names. */
    static final class Undecodable extends RuntimeException {
        Undecodable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
