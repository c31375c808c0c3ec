package io.chirp.tweet.domain;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.chirp.platform.events.AccountDeletionStepDone;

/** The authors' usernames, each on the author's shard, kept from user events. */
public interface AuthorStore {

    /**
     * Records the username carried by user event {@code eventId} (insert or update), once: a
     * redelivered event changes nothing. A deleted author stays deleted.
     *
     * @return false when the event was already handled
     */
    boolean applyUsername(UUID eventId, long userId, String username);

    Optional<Author> find(long userId);

    /**
     * Which of these usernames belong to known, not deleted authors: one query per physical shard.
     *
     * @return the known ones, lower-cased
     */
    Set<String> knownUsernames(Collection<String> usernames);

    /** Marks the author deleted (creating the row if needed), so no more posts are accepted. */
    void markDeleted(long userId);

    /**
     * The last step of this service's part of an account deletion: records {@code eventId} (the
     * UserDeletionRequested) as handled and puts the acknowledgement in the outbox, together.
     *
     * @return false when the event was already handled (nothing is published again)
     */
    boolean acknowledgeDeletion(UUID eventId, AccountDeletionStepDone acknowledgement);
}
