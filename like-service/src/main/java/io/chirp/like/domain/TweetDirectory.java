package io.chirp.like.domain;

/** Asks the systems of record whether a tweet or a user exists right now. */
public interface TweetDirectory {

    boolean tweetExists(long tweetId);

    boolean userExists(long userId);

    /** The API's Tweet objects for these ids, in this order, deleted ones left out (one batch call). */
    java.util.List<java.util.Map<String, Object>> tweets(java.util.List<Long> ids);
}
