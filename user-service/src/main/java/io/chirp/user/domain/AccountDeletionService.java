package io.chirp.user.domain;

import io.chirp.platform.events.UserDeleted;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.UserUnfollowed;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * The end of the account-deletion saga ({@link ProfileService#requestDeletion} is its start).
 * Each participant's acknowledgement is recorded once; when every required participant has
 * acknowledged, the user's part is removed, step by step, each step idempotent and on its own
 * shard (no distributed transaction):
 * <ol>
 *   <li>each {@code following} edge of the user: the followee's {@code followers} row and
 *       {@code followers_count} (with {@code UserUnfollowed}), then the user's own row;</li>
 *   <li>each {@code followers} edge of the user: the follower's {@code following} row and
 *       {@code following_count} (with {@code UserUnfollowed}), then the user's own row;</li>
 *   <li>the username and email claims are released;</li>
 *   <li>the user row is deleted, the deletion marked DONE and {@link UserDeleted} written, in
 *       one transaction.</li>
 * </ol>
 * The other user's side goes first and the user's own row last, so the user's remaining rows
 * always say what is left to do: a run interrupted anywhere is finished by the next one
 * ({@link #finishReady()}, from the recovery sweep), and steps already done change nothing and
 * publish nothing again.
 */
@Singleton
public class AccountDeletionService {

    private static final Logger LOG = LoggerFactory.getLogger(AccountDeletionService.class);
    private static final int BATCH = 500;

    private final DeletionStore deletions;
    private final FollowStore follows;
    private final Clock clock;
    private final Set<String> participants;

    public AccountDeletionService(DeletionStore deletions, FollowStore follows, Clock clock,
                                  @Value("${chirp.account-deletion.participants:tweet-service,timeline-service,"
                                          + "like-service,search-service}") List<String> participants) {
        this.deletions = deletions;
        this.follows = follows;
        this.clock = clock;
        this.participants = Set.copyOf(participants);
        if (this.participants.isEmpty()) {
            throw new IllegalArgumentException("chirp.account-deletion.participants must name at least one service");
        }
    }

    /** The participants whose acknowledgement completes a deletion. */
    public Set<String> participants() {
        return participants;
    }

    /**
     * Records one acknowledgement and finishes the deletion when it was the last one missing.
     *
     * @return what recording did (a redelivery is {@link DeletionStore.Ack#DUPLICATE} and changes nothing)
     */
    public DeletionStore.Ack onStepDone(AccountDeletionStepDone ack) {
        if (!participants.contains(ack.participant())) {
            LOG.warn("acknowledgement of deletion {} by unknown participant '{}' is recorded but not required",
                    ack.deletionId(), ack.participant());
        }
        DeletionStore.Ack recorded = deletions.recordStep(ack.deletionId(), ack.userId(), ack.participant());
        if (recorded == DeletionStore.Ack.UNKNOWN) {
            LOG.warn("acknowledgement by {} of unknown deletion {} of user {} ignored", ack.participant(),
                    ack.deletionId(), ack.userId());
            return recorded;
        }
        // also after a duplicate: a crash after recording the last ack must not leave the saga waiting
        if (deletions.readyToFinish(ack.deletionId(), ack.userId(), participants)) {
            finish(ack.deletionId(), ack.userId());
        }
        return recorded;
    }

    /** Recovery: finishes every deletion that all participants acknowledged. @return how many */
    public int finishReady() {
        int finished = 0;
        for (DeletionStore.Pending pending : deletions.allReadyToFinish(participants)) {
            try {
                finish(pending.deletionId(), pending.userId());
                finished++;
            } catch (RuntimeException e) {
                LOG.warn("finishing deletion {} of user {} failed; the next sweep retries: {}", pending.deletionId(),
                        pending.userId(), e.toString());
            }
        }
        if (finished > 0) {
            LOG.info("finished {} account deletion(s) on recovery", finished);
        }
        return finished;
    }

    /**
     * Each step is retried until acknowledged: a deletion still waiting after
     * {@code olderThan} publishes {@code UserDeletionRequested} again, with the same deletion id
     * (every participant's step is idempotent, and an acknowledgement is recorded once).
     *
     * @return how many deletions were requested again
     */
    public int requestAgainWaitingLongerThan(java.time.Duration olderThan) {
        int again = 0;
        for (DeletionStore.Pending pending : deletions.waitingLongerThan(olderThan)) {
            deletions.requestAgain(pending, new io.chirp.platform.events.UserDeletionRequested(UUID.randomUUID(),
                    clock.instant(), io.chirp.platform.events.UserDeletionRequested.SCHEMA_VERSION, pending.userId(),
                    pending.deletionId()));
            again++;
        }
        if (again > 0) {
            LOG.info("asked the participants again for {} account deletion(s)", again);
        }
        return again;
    }

    /** The saga's local steps; each idempotent, so concurrent or repeated runs are harmless. */
    void finish(UUID deletionId, long userId) {
        removeFollowingEdges(userId);
        removeFollowerEdges(userId);
        deletions.claimsOf(userId).ifPresent(claims -> {
            deletions.releaseClaim(ClaimKind.USERNAME, claims.usernameKey(), userId);
            deletions.releaseClaim(ClaimKind.EMAIL, claims.emailKey(), userId);
        });
        if (deletions.finish(deletionId, userId,
                new UserDeleted(UUID.randomUUID(), clock.instant(), UserDeleted.SCHEMA_VERSION, userId, deletionId))) {
            LOG.info("account deletion {} of user {} done", deletionId, userId);
        }
    }

    /** The user followed them: their {@code followers} row and count first, then the user's row. */
    private void removeFollowingEdges(long userId) {
        long after = Long.MIN_VALUE;
        List<Long> batch;
        while (!(batch = follows.followeeIds(userId, after, BATCH)).isEmpty()) {
            for (long followeeId : batch) {
                follows.removeFollower(userId, followeeId, unfollowed(userId, followeeId));
                follows.removeFollowing(userId, followeeId);
                after = followeeId;
            }
        }
    }

    /** They followed the user: their {@code following} row and count first, then the user's row. */
    private void removeFollowerEdges(long userId) {
        long after = Long.MIN_VALUE;
        List<Long> batch;
        while (!(batch = follows.followerIds(userId, after, BATCH)).isEmpty()) {
            for (long followerId : batch) {
                follows.removeFollowing(followerId, userId, unfollowed(followerId, userId));
                follows.removeFollowerRow(followerId, userId);
                after = followerId;
            }
        }
    }

    private UserUnfollowed unfollowed(long followerId, long followeeId) {
        return new UserUnfollowed(UUID.randomUUID(), clock.instant(), UserUnfollowed.SCHEMA_VERSION, followerId,
                followeeId);
    }
}
