package io.chirp.search.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: reads of the search documents. Every method throws {@link SearchUnavailableException}
 * when the engine does not answer.
 * <p>
 * Relevance of a tweet is a pure function of the tweet and the query (every matched clause
 * adds its boost; no collection statistics such as BM25's idf), so indexing other tweets never
 * changes it: a {@link SortKey} cursor stays exact under concurrent inserts (API.md:
 * no duplicates, no skips of older items).
 */
public interface SearchStore {

    /** Live tweets matching every clause of {@code query}, best first, ties newest first. */
    TweetHits tweets(TweetQuery query, int limit, Optional<SortKey> after);

    /** Live users whose username or display name starts with the words of {@code prefix}. */
    List<UserProfile> users(String prefix, int limit);

    /** The hashtags of the most live tweets created since {@code since}, most first. */
    List<Trend> trends(Instant since, int limit);
}
