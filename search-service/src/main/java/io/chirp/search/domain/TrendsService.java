package io.chirp.search.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chirp.search.config.SearchProperties;
import jakarta.inject.Singleton;

/**
 * Top hashtags over the last hour or day. The aggregation reads every tweet of the window, and
 * trends move slowly, so each answer is kept for {@link SearchProperties#trendsCacheTtl()}
 * (a few seconds) per window and limit: at most 2 × 100 small entries.
 */
@Singleton
public class TrendsService {

    private final SearchStore store;
    private final Clock clock;
    private final SearchProperties properties;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    public TrendsService(SearchStore store, Clock clock, SearchProperties properties) {
        this.store = store;
        this.clock = clock;
        this.properties = properties;
    }

    public List<Trend> top(TrendWindow window, int limit) {
        Instant now = clock.instant();
        Key key = new Key(window, limit);
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.trends();
        }
        List<Trend> trends = List.copyOf(store.trends(now.minus(window.length()), limit));
        cache.put(key, new Cached(trends, now.plus(properties.trendsCacheTtl())));
        return trends;
    }

    private record Key(TrendWindow window, int limit) {
    }

    private record Cached(List<Trend> trends, Instant expires) {
    }
}
