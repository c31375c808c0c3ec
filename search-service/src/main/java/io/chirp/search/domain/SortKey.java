package io.chirp.search.domain;

/**
 * Where a tweet sits in a search answer: relevance first, then newest first, then id. A page
 * continues strictly after the last key of the previous one ({@code search_after}).
 *
 * @param score           the relevance score; a pure function of the tweet and the query (see
 *                        {@link SearchStore}), so it does not drift as other tweets are indexed
 * @param createdAtMillis the tweet's creation time, epoch milliseconds
 * @param id              the tweet id, the final tie-breaker
 */
public record SortKey(float score, long createdAtMillis, long id) {
}
