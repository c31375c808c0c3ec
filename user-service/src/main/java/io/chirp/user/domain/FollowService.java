package io.chirp.user.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.UserFollowed;
import io.chirp.platform.events.UserUnfollowed;
import jakarta.inject.Singleton;

/**
 * The follow saga and its mirror, unfollow:
 * <ol>
 *   <li>write {@code following} on the follower's shard (with a PENDING saga row);</li>
 *   <li>write {@code followers} on the followee's shard, with {@code UserFollowed} in that
 *       shard's outbox when the edge is new;</li>
 *   <li>compensation when step 2 is refused (the followee is gone or being deleted): undo step 1.</li>
 * </ol>
 * Both steps are idempotent, so a repeated request changes nothing and publishes nothing, and
 * {@link #recoverStalled(Duration)} can re-run step 2 of a saga whose process died.
 */
@Singleton
public class FollowService {

    private static final Logger LOG = LoggerFactory.getLogger(FollowService.class);

    private final FollowStore follows;
    private final UserStore users;
    private final ProfileReads profiles;
    private final Clock clock;

    public FollowService(FollowStore follows, UserStore users, ProfileReads profiles, Clock clock) {
        this.follows = follows;
        this.users = users;
        this.profiles = profiles;
        this.clock = clock;
    }

    /**
     * @throws Exceptions.InvalidAction when following oneself (400)
     * @throws Exceptions.UserNotFound  when the followee does not exist (404)
     */
    public void follow(long followerId, long followeeId) {
        if (followerId == followeeId) {
            throw new Exceptions.InvalidAction("userId: you cannot follow yourself");
        }
        if (users.find(followeeId).isEmpty()) {
            throw new Exceptions.UserNotFound(Long.toString(followeeId));
        }
        // a user being deleted (token still valid) must not add edges the deletion saga would miss
        if (users.find(followerId).isEmpty()) {
            throw new Exceptions.UserNotFound(Long.toString(followerId));
        }
        follows.writeFollowing(followerId, followeeId);
        completeFollow(followerId, followeeId);
    }

    private void completeFollow(long followerId, long followeeId) {
        FollowStore.SecondStep second = follows.writeFollower(followerId, followeeId,
                new UserFollowed(UUID.randomUUID(), clock.instant(), UserFollowed.SCHEMA_VERSION, followerId, followeeId));
        if (second == FollowStore.SecondStep.REFUSED) {
            follows.removeFollowing(followerId, followeeId);
            follows.finishSaga(followerId, followeeId);
            throw new Exceptions.UserNotFound(Long.toString(followeeId));
        }
        follows.finishSaga(followerId, followeeId);
    }

    /** Idempotent: unfollowing someone you do not follow changes nothing. */
    public void unfollow(long followerId, long followeeId) {
        follows.removeFollowing(followerId, followeeId);
        follows.removeFollower(followerId, followeeId,
                new UserUnfollowed(UUID.randomUUID(), clock.instant(), UserUnfollowed.SCHEMA_VERSION, followerId, followeeId));
    }

    /** A page of followers (newest first), hydrated from the profile cache and one query per shard for the rest. */
    public UserPage followers(long userId, Optional<FollowStore.Cursor> after, int limit) {
        requireUser(userId);
        return hydrate(follows.followers(userId, after, limit));
    }

    /** A page of followees (newest first), hydrated from the profile cache and one query per shard for the rest. */
    public UserPage following(long userId, Optional<FollowStore.Cursor> after, int limit) {
        requireUser(userId);
        return hydrate(follows.following(userId, after, limit));
    }

    /** Follower ids after {@code afterId} in id order (internal: fan-out and feed rebuilds). */
    public List<Long> followerIds(long userId, long afterId, int limit) {
        requireUser(userId);
        return follows.followerIds(userId, afterId, limit);
    }

    /** Re-runs step 2 (or compensates) of follow sagas left pending by a crash. */
    public int recoverStalled(Duration olderThan) {
        int recovered = 0;
        for (long[] saga : follows.stalledSagas(olderThan)) {
            try {
                completeFollow(saga[0], saga[1]);
            } catch (Exceptions.UserNotFound e) {
                // compensated
            }
            recovered++;
        }
        if (recovered > 0) {
            LOG.info("finished {} stalled follow saga(s)", recovered);
        }
        return recovered;
    }

    /** Before a read only (it may be answered from the cache); follow() checks the store itself. */
    private void requireUser(long userId) {
        if (profiles.find(userId).isEmpty()) {
            throw new Exceptions.UserNotFound(Long.toString(userId));
        }
    }

    private UserPage hydrate(FollowStore.IdPage page) {
        Map<Long, User> found = profiles.findAll(page.ids());
        List<User> items = page.ids().stream().map(found::get).filter(java.util.Objects::nonNull).toList();
        return new UserPage(items, page.next());
    }

    /** Users of one page and where the next starts. */
    public record UserPage(List<User> items, Optional<FollowStore.Cursor> next) {
    }
}
