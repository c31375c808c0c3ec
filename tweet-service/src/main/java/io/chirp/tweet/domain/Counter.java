package io.chirp.tweet.domain;

/** The denormalised counters of a tweet, each changed only by single-statement increments. */
public enum Counter {
    LIKES,
    RETWEETS,
    REPLIES
}
