package io.chirp.search.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One change to the search documents, decoded from an event. Every change carries the
 * event's time as its {@link #version()}: the store writes with external versioning, so a
 * change older than what a document already holds is refused ({@code version_conflict}) and
 * a replayed or late event can never undo a newer one. Deletions are tombstone documents, not
 * deletes, so the version they carry outlives Elasticsearch's {@code index.gc_deletes} window.
 */
public sealed interface IndexChange {

    /** The external version: the event's {@code occurredAt} in microseconds since the epoch. */
    long version();

    /** The external version of an event that occurred at {@code occurredAt}. */
    static long versionOf(Instant occurredAt) {
        return Math.addExact(Math.multiplyExact(occurredAt.getEpochSecond(), 1_000_000L), occurredAt.getNano() / 1_000);
    }

    /** A tweet was posted: index the whole document (TweetCreated). */
    record TweetUpsert(TweetView tweet, long version) implements IndexChange {
    }

    /** A tweet was deleted: replace its document by a tombstone (TweetDeleted). */
    record TweetTombstone(long tweetId, long authorId, long version) implements IndexChange {
    }

    /** A user registered or changed their profile: index the profile (UserRegistered, UserUpdated). */
    record UserUpsert(UserProfile user, long version) implements IndexChange {
    }

    /**
     * A user's account is being deleted (UserDeletionRequested): replace the user document by a
     * tombstone, then remove every tweet of theirs; {@code deletionId} is the saga to acknowledge.
     */
    record UserErasure(long userId, UUID deletionId, long version) implements IndexChange {
    }
}
