package io.chirp.like.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.LikeCompensated;
import io.chirp.platform.events.LikeSagaCommand;
import io.chirp.platform.events.LikeSagaReply;
import io.chirp.platform.events.TweetLiked;
import io.chirp.platform.events.TweetUnliked;
import jakarta.inject.Singleton;

/**
 * The like saga, orchestrated here, its state persisted in Cassandra:
 * <ol>
 *   <li>record the saga; claim the like with a lightweight transaction; only if the claim
 *       applied: the user's row and the counter (so a like counts exactly once, however often
 *       and however concurrently it is sent);</li>
 *   <li>ask tweet-service to confirm the tweet and move its {@code likeCount}
 *       ({@link LikeSagaCommand}, at least once);</li>
 *   <li>on its answer: done ({@link TweetLiked}), or — the tweet does not exist or was deleted
 *       meanwhile — compensate: remove the like and its count ({@link LikeCompensated}).</li>
 * </ol>
 * Unlike runs the mirror saga. {@link #recoverStalled(Duration)} resumes sagas whose process died.
 */
@Singleton
public class LikeService {

    private static final Logger LOG = LoggerFactory.getLogger(LikeService.class);

    private final LikeStore likes;
    private final LikeSagaMessages messages;
    private final TweetDirectory directory;
    private final Clock clock;

    public LikeService(LikeStore likes, LikeSagaMessages messages, TweetDirectory directory, Clock clock) {
        this.likes = likes;
        this.messages = messages;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Likes a tweet; idempotent.
     *
     * @throws Exceptions.NotFound when the tweet does not exist now (404)
     */
    public void like(long userId, long tweetId) {
        if (!directory.tweetExists(tweetId)) {
            throw new Exceptions.NotFound("tweet " + tweetId);
        }
        LikeSaga saga = likes.startSaga(tweetId, userId, +1);
        // Cassandra timestamps are milliseconds
        if (!likes.claim(tweetId, userId, clock.instant().truncatedTo(ChronoUnit.MILLIS), saga.id())) {
            likes.endSaga(saga.id()); // already liked: nothing changes
            return;
        }
        Instant likedAt = likes.likedAt(tweetId, userId).orElseThrow();
        likes.recordUserLike(userId, likedAt, tweetId);
        likes.count(tweetId, +1);
        likes.markSaga(saga.id(), LikeSaga.State.COUNTED);
        sendCommand(saga);
    }

    /** Withdraws a like; idempotent. */
    public void unlike(long userId, long tweetId) {
        Optional<Instant> likedAt = likes.likedAt(tweetId, userId);
        if (likedAt.isEmpty()) {
            return;
        }
        LikeSaga saga = likes.startSaga(tweetId, userId, -1);
        if (!likes.release(tweetId, userId, Optional.empty())) {
            likes.endSaga(saga.id()); // a concurrent unlike won
            return;
        }
        likes.removeUserLike(userId, likedAt.get(), tweetId);
        likes.count(tweetId, -1);
        likes.markSaga(saga.id(), LikeSaga.State.COUNTED);
        sendCommand(saga);
    }

    private void sendCommand(LikeSaga saga) {
        messages.send(new LikeSagaCommand(UUID.randomUUID(), clock.instant(), LikeSagaCommand.SCHEMA_VERSION,
                saga.id(), saga.tweetId(), saga.userId(), saga.delta()));
        likes.markSaga(saga.id(), LikeSaga.State.SENT);
    }

    /** tweet-service answered: finish, or compensate. Idempotent: a repeated reply finds no saga. */
    public void onReply(LikeSagaReply reply) {
        Optional<LikeSaga> found = likes.saga(reply.sagaId());
        if (found.isEmpty()) {
            return;
        }
        LikeSaga saga = found.get();
        if (reply.confirmed()) {
            long count = likes.countOf(saga.tweetId());
            if (saga.delta() > 0) {
                messages.publish(new TweetLiked(UUID.randomUUID(), clock.instant(), TweetLiked.SCHEMA_VERSION,
                        saga.tweetId(), saga.userId(), count));
            } else {
                messages.publish(new TweetUnliked(UUID.randomUUID(), clock.instant(), TweetUnliked.SCHEMA_VERSION,
                        saga.tweetId(), saga.userId(), count));
            }
        } else if (saga.delta() > 0) {
            compensate(saga);
        }
        // an unlike refused because the tweet is gone needs no compensation: the like is gone too
        likes.endSaga(saga.id());
    }

    /** Removes the like this saga created, and its count, and says so. */
    private void compensate(LikeSaga saga) {
        Optional<Instant> likedAt = likes.likedAt(saga.tweetId(), saga.userId());
        if (likes.release(saga.tweetId(), saga.userId(), Optional.of(saga.id()))) {
            likedAt.ifPresent(at -> likes.removeUserLike(saga.userId(), at, saga.tweetId()));
            likes.count(saga.tweetId(), -1);
        }
        messages.publish(new LikeCompensated(UUID.randomUUID(), clock.instant(), LikeCompensated.SCHEMA_VERSION,
                saga.id(), saga.tweetId(), saga.userId()));
    }

    /**
     * Resumes sagas untouched for {@code olderThan}. A saga STARTED may have claimed its like and
     * crashed before or after moving the counter: the counter is reconciled with the rows (never
     * moved twice), then the command is sent. A saga COUNTED or SENT re-sends its command
     * (tweet-service applies each saga once).
     */
    public int recoverStalled(Duration olderThan) {
        int resumed = 0;
        for (LikeSaga saga : likes.stalledSagas(olderThan)) {
            if (saga.state() == LikeSaga.State.STARTED) {
                Optional<UUID> owner = likes.likedBySaga(saga.tweetId(), saga.userId());
                boolean applied = saga.delta() > 0 ? owner.filter(saga.id()::equals).isPresent() : owner.isEmpty();
                if (!applied) {
                    likes.endSaga(saga.id());
                    continue;
                }
                if (saga.delta() > 0) {
                    likes.likedAt(saga.tweetId(), saga.userId())
                            .ifPresent(at -> likes.recordUserLike(saga.userId(), at, saga.tweetId()));
                }
                likes.reconcileCount(saga.tweetId());
                likes.markSaga(saga.id(), LikeSaga.State.COUNTED);
            }
            sendCommand(saga);
            resumed++;
        }
        if (resumed > 0) {
            LOG.info("resumed {} stalled like saga(s)", resumed);
        }
        return resumed;
    }
}
