package io.chirp.search.domain;

import java.util.List;
import java.util.Optional;

/** One page of tweets found, and the key to continue after it (empty on the last page). */
public record TweetHits(List<TweetView> items, Optional<SortKey> next) {
}
