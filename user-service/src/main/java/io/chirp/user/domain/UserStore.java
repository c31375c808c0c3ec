package io.chirp.user.domain;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserRegistered;
import io.chirp.platform.events.UserUpdated;

/**
 * Users, claims and registration sagas across the physical shards. Every method that changes
 * state and has an event writes the event to the same shard's outbox in the same transaction.
 */
public interface UserStore {

    /** The active user with this id. */
    Optional<User> find(long id);

    /** Active users by id, fetched with one query per physical shard; missing ids are left out. */
    Map<Long, User> findAll(Collection<Long> ids);

    /**
     * As {@link #find}, for reads that tolerate a moment of staleness (showing a profile, never
     * computing or guarding a write): from the shard's replica while it is in rotation and the
     * caller has not just written, else the primary.
     */
    default Optional<User> findAllowingStale(long id) {
        return find(id);
    }

    /** As {@link #findAll}, tolerating staleness like {@link #findAllowingStale}. */
    default Map<Long, User> findAllAllowingStale(Collection<Long> ids) {
        return findAll(ids);
    }

    /** The user id holding the claim on {@code key} (lower-cased), if any. */
    Optional<Long> claimedBy(ClaimKind kind, String key);

    /** The stored password hash of an active user (its {@code credentials} row, apart from the user's profile). */
    Optional<String> passwordHash(long userId);

    /** Saga step 0: records the saga as STARTED on the user's shard. */
    void startRegistration(Registration registration);

    /**
     * Saga steps 1 and 2: takes the claim for this registration. True when the claim is now
     * held by this registration (also when it already was: retries are safe).
     */
    boolean claim(ClaimKind kind, String key, long userId, UUID registrationId);

    /** Compensation: releases whatever claims this registration holds and marks it COMPENSATED. */
    void compensate(Registration registration);

    /** Saga step 3: the user row, its credentials, the outbox event and the saga's DONE, in one transaction. */
    void createUser(Registration registration, User user, String passwordHash, UserRegistered event);

    /** Registrations still STARTED after {@code olderThan}: crashed half-way. */
    List<Registration> stalledRegistrations(Duration olderThan);

    /** Updates display name and bio; returns the updated user. */
    Optional<User> updateProfile(long userId, String displayName, String bio, UserUpdated event);

    /** Marks the user DELETING (no longer found) and records the account-deletion saga. */
    boolean startDeletion(long userId, UserDeletionRequested event);

    /**
     * Moves the user's {@code tweetCount} by {@code delta} (+1 for a tweet, reply or retweet
     * posted, −1 for one deleted), once per event: the inbox row of {@code eventId} and the update
     * are one transaction, so a redelivered event changes nothing. Never below 0. A user that
     * does not exist (deleted) is left alone.
     *
     * @return false when this event was applied before
     */
    boolean applyTweetCount(UUID eventId, long userId, int delta);
}
