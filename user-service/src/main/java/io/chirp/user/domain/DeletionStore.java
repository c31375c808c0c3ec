package io.chirp.user.domain;

import io.chirp.platform.events.UserDeleted;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Account-deletion saga state on the deleted user's shard: the {@code deletions} row and the
 * participants' acknowledgements ({@code deletion_steps}), plus the saga's last local steps.
 */
public interface DeletionStore {

    /** What recording one acknowledgement did. */
    enum Ack {
        /** first time this participant acknowledged this deletion */
        RECORDED,
        /** a redelivery: already recorded, nothing changed */
        DUPLICATE,
        /** no such deletion for this user: ignored */
        UNKNOWN
    }

    /** A saga instance still to be finished. */
    record Pending(UUID deletionId, long userId) {
    }

    /** The deleted user's claim keys (lower-cased), read from the user row while it is DELETING. */
    record Claims(String usernameKey, String emailKey) {
    }

    /** Records {@code participant}'s acknowledgement of {@code deletionId} (idempotent). */
    Ack recordStep(UUID deletionId, long userId, String participant);

    /** True when the deletion is still REQUESTED and every one of {@code participants} acknowledged it. */
    boolean readyToFinish(UUID deletionId, long userId, Collection<String> participants);

    /** Every REQUESTED deletion, on every shard, that all {@code participants} acknowledged. */
    List<Pending> allReadyToFinish(Collection<String> participants);

    /** Deletions still waiting for acknowledgements, untouched for {@code olderThan}. */
    List<Pending> waitingLongerThan(java.time.Duration olderThan);

    /**
     * Asks the participants again: {@code event} (the same deletion id) into the outbox, and the
     * deletion's clock reset, in one transaction on the user's shard.
     */
    void requestAgain(Pending deletion, io.chirp.platform.events.UserDeletionRequested event);

    /** The claim keys of a user being deleted; empty once the user row is gone. */
    Optional<Claims> claimsOf(long userId);

    /** Deletes the claim on {@code key} only if {@code userId} holds it (idempotent). */
    void releaseClaim(ClaimKind kind, String key, long userId);

    /**
     * The last step, in one transaction on the user's shard: deletes the (DELETING) user row,
     * marks the deletion DONE and writes {@code event} to the outbox. False (and nothing
     * written) when the deletion was already DONE.
     */
    boolean finish(UUID deletionId, long userId, UserDeleted event);
}
