package io.chirp.tweet.domain;

import java.time.Clock;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.events.UserDeletionRequested;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * What tweet-service does with user events: keeps each author's username (for
 * {@code authorUsername}) and takes part in the account-deletion saga.
 */
@Singleton
public class AuthorService {

    /** The name this service acknowledges account deletions with. */
    public static final String PARTICIPANT = "tweet-service";

    private static final Logger LOG = LoggerFactory.getLogger(AuthorService.class);

    private final AuthorStore authors;
    private final TweetStore tweets;
    private final Clock clock;
    private final int batchSize;

    public AuthorService(AuthorStore authors, TweetStore tweets, Clock clock,
                         @Value("${chirp.tweets.deletion-batch-size:500}") int batchSize) {
        this.authors = authors;
        this.tweets = tweets;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /**
     * UserRegistered or UserUpdated: records the username.
     *
     * @return false for a redelivered event (nothing changed)
     */
    public boolean onUsername(UUID eventId, long userId, String username) {
        return authors.applyUsername(eventId, userId, username);
    }

    /**
     * The account-deletion step of this service: no more posts by the user, every tweet of
     * theirs soft-deleted in batches (one TweetDeleted each), then AccountDeletionStepDone. Safe
     * to run again after a crash at any point: the batches only find tweets not yet deleted, and
     * the acknowledgement is published once per request.
     *
     * @return false for a redelivered request (nothing published again)
     */
    public boolean onDeletionRequested(UserDeletionRequested request) {
        long userId = request.userId();
        authors.markDeleted(userId);
        int total = 0;
        int deleted;
        do {
            deleted = tweets.deleteBatchOf(userId, batchSize, tweetId -> new TweetDeleted(UUID.randomUUID(),
                    clock.instant(), TweetDeleted.SCHEMA_VERSION, tweetId, userId));
            total += deleted;
        } while (deleted == batchSize);
        boolean first = authors.acknowledgeDeletion(request.eventId(), new AccountDeletionStepDone(UUID.randomUUID(),
                clock.instant(), AccountDeletionStepDone.SCHEMA_VERSION, request.deletionId(), userId, PARTICIPANT));
        LOG.info("account deletion {} of user {}: {} tweet(s) deleted{}", request.deletionId(), userId, total,
                first ? "" : " (already acknowledged)");
        return first;
    }
}
