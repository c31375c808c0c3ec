package io.chirp.search.domain;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

/** Tweet and user search: validates and parses the request, then asks the {@link SearchStore}. */
@Singleton
public class SearchService {

    /** Longest user search, in code points: the longest display name (API.md) and some. */
    public static final int MAX_USER_QUERY = 100;

    private final SearchStore store;

    public SearchService(SearchStore store) {
        this.store = store;
    }

    /** @throws InvalidSearchException naming {@code q} (see {@link TweetQuery#parse}) */
    public TweetHits tweets(String q, int limit, Optional<SortKey> after) {
        return store.tweets(TweetQuery.parse(q), limit, after);
    }

    /** @throws InvalidSearchException naming {@code q} when missing, blank or too long */
    public List<UserProfile> users(String q, int limit) {
        if (q == null || q.isBlank()) {
            throw new InvalidSearchException("q", "is required and must not be blank");
        }
        if (q.codePointCount(0, q.length()) > MAX_USER_QUERY) {
            throw new InvalidSearchException("q", "must be at most " + MAX_USER_QUERY + " characters");
        }
        return store.users(q.strip(), limit);
    }
}
