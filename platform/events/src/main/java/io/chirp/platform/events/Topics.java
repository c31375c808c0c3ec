package io.chirp.platform.events;

import java.util.List;

/**
 * Kafka topic names, one per aggregate (events) or per saga (commands and replies). Keys are
 * the aggregate id, so one aggregate's events stay ordered within a partition. Every topic has
 * a dead-letter topic named {@code <topic>}{@value #DEAD_LETTER_SUFFIX} that receives
 * messages a consumer could not handle after bounded retries.
 */
public final class Topics {

    /** Users and the follow graph: registered, updated, followed, unfollowed, deletion. Key: user id. */
    public static final String USER_EVENTS = "chirp.user.events";
    /** Tweets: created, deleted, counters. Key: tweet id. */
    public static final String TWEET_EVENTS = "chirp.tweet.events";
    /** Likes: liked, unliked, compensated. Key: tweet id. */
    public static final String LIKE_EVENTS = "chirp.like.events";
    /** Like saga: commands from like-service to tweet-service. Key: tweet id. */
    public static final String LIKE_SAGA_COMMANDS = "chirp.like-saga.commands";
    /** Like saga: replies from tweet-service to like-service. Key: tweet id. */
    public static final String LIKE_SAGA_REPLIES = "chirp.like-saga.replies";
    /** Account-deletion saga: acknowledgements from each participant. Key: user id. */
    public static final String ACCOUNT_DELETION_REPLIES = "chirp.account-deletion.replies";

    /** Suffix of a topic's dead-letter topic. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    /** Partitions per topic in the local cluster: enough to show per-key ordering. */
    public static final int PARTITIONS = 3;

    private Topics() {
    }

    /** Every topic the system uses, with its dead-letter topic after it. */
    public static List<String> all() {
        return List.of(USER_EVENTS, TWEET_EVENTS, LIKE_EVENTS, LIKE_SAGA_COMMANDS, LIKE_SAGA_REPLIES,
                        ACCOUNT_DELETION_REPLIES).stream()
                .flatMap(t -> java.util.stream.Stream.of(t, deadLetter(t)))
                .toList();
    }

    /** The dead-letter topic of {@code topic}. */
    public static String deadLetter(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
