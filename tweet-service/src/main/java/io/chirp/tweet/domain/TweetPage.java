package io.chirp.tweet.domain;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of tweets, newest first.
 *
 * @param nextBefore the id the next page starts below (exclusive); empty on the last page
 */
public record TweetPage(List<Tweet> items, OptionalLong nextBefore) {

    public TweetPage {
        items = List.copyOf(items);
    }

    /** The page of the first {@code limit} of {@code fetched} (which holds up to limit + 1 rows). */
    static TweetPage of(List<Tweet> fetched, int limit) {
        if (fetched.size() <= limit) {
            return new TweetPage(fetched, OptionalLong.empty());
        }
        List<Tweet> items = fetched.subList(0, limit);
        return new TweetPage(items, OptionalLong.of(items.get(limit - 1).id()));
    }
}
