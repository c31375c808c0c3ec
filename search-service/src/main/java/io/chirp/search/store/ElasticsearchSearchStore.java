package io.chirp.search.store;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.ZeroTermsQuery;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.chirp.platform.web.ApiTimestamps;
import io.chirp.search.config.SearchProperties;
import io.chirp.search.domain.SearchStore;
import io.chirp.search.domain.SearchUnavailableException;
import io.chirp.search.domain.SortKey;
import io.chirp.search.domain.Trend;
import io.chirp.search.domain.TweetHits;
import io.chirp.search.domain.TweetQuery;
import io.chirp.search.domain.TweetView;
import io.chirp.search.domain.UserProfile;
import jakarta.inject.Singleton;

/**
 * Reads of the tweets and users indices with typed queries built from parsed input: user text
 * only ever becomes the <em>value</em> of a match, match_phrase or term clause, never query
 * syntax (no query_string, no simple_query_string, no script, no raw JSON).
 * <p>
 * Tweet relevance uses the {@code boolean} similarity (see tweets.json): each matching clause
 * adds its boost, independent of collection statistics. A tweet must hold every word (stemmed,
 * English analyzer); it ranks higher when the words also appear in their exact form
 * ({@code text.exact}) and higher still when they appear together in order. The score of a
 * tweet therefore never moves when other tweets are indexed, which keeps
 * {@code search_after} cursors exact (no point-in-time is needed: the 7.17 embedded node,
 * which lacks X-Pack, has none).
 */
@Singleton
class ElasticsearchSearchStore implements SearchStore {

    private static final float EXACT_FORM_BOOST = 1f;
    private static final float ADJACENT_WORDS_BOOST = 2f;
    private static final float EXACT_USERNAME_BOOST = 5f;

    private final ElasticsearchClient client;
    private final SearchProperties properties;

    ElasticsearchSearchStore(ElasticsearchClient client, SearchProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public TweetHits tweets(TweetQuery query, int limit, Optional<SortKey> after) {
        SearchRequest.Builder request = new SearchRequest.Builder().index(properties.tweetsAlias())
                .query(tweetQuery(query)).size(limit + 1).trackTotalHits(t -> t.enabled(false))
                .sort(s -> s.score(o -> o.order(SortOrder.Desc)))
                .sort(s -> s.field(f -> f.field("createdAt").order(SortOrder.Desc)))
                .sort(s -> s.field(f -> f.field("id").order(SortOrder.Desc)));
        after.ifPresent(key -> request.searchAfter(FieldValue.of(key.score()), FieldValue.of(key.createdAtMillis()),
                FieldValue.of(Long.toString(key.id()))));
        SearchResponse<Map> response = search(request.build());
        List<Hit<Map>> hits = response.hits().hits();
        List<TweetView> items = new ArrayList<>();
        for (Hit<Map> hit : hits.subList(0, Math.min(limit, hits.size()))) {
            items.add(tweet(hit.source()));
        }
        Optional<SortKey> next = hits.size() > limit ? Optional.of(sortKey(hits.get(limit - 1))) : Optional.empty();
        return new TweetHits(items, next);
    }

    static Query tweetQuery(TweetQuery query) {
        BoolQuery.Builder bool = new BoolQuery.Builder();
        if (!query.words().isEmpty()) {
            String text = query.text();
            // words that are all stop words analyse to nothing: then they must not veto the other clauses
            ZeroTermsQuery zeroTerms = query.hasNonWordClauses() ? ZeroTermsQuery.All : ZeroTermsQuery.None;
            bool.must(m -> m.match(t -> t.field("text").query(text).operator(Operator.And).zeroTermsQuery(zeroTerms)));
            bool.should(s -> s.match(t -> t.field("text.exact").query(text).operator(Operator.And)
                    .boost(EXACT_FORM_BOOST)));
            if (query.words().size() > 1) {
                bool.should(s -> s.matchPhrase(p -> p.field("text.exact").query(text).boost(ADJACENT_WORDS_BOOST)));
            }
        }
        for (String phrase : query.phrases()) {
            bool.must(m -> m.matchPhrase(p -> p.field("text.exact").query(phrase)));
        }
        for (String tag : query.hashtags()) {
            bool.filter(f -> f.term(t -> t.field("hashtags").value(tag)));
        }
        for (String user : query.mentions()) {
            // @user finds tweets that mention the user and tweets by the user, as on Twitter
            bool.filter(f -> f.bool(b -> b.should(s -> s.term(t -> t.field("mentions").value(user)))
                    .should(s -> s.term(t -> t.field("authorUsername").value(user))).minimumShouldMatch("1")));
        }
        bool.mustNot(n -> n.term(t -> t.field("deleted").value(true)));
        return Query.of(q -> q.bool(bool.build()));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<UserProfile> users(String prefix, int limit) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        SearchRequest request = new SearchRequest.Builder().index(properties.usersAlias()).size(limit)
                .trackTotalHits(t -> t.enabled(false))
                .query(q -> q.bool(b -> b
                        .should(s -> s.match(m -> m.field("username").query(prefix).operator(Operator.And)))
                        .should(s -> s.match(m -> m.field("displayName").query(prefix).operator(Operator.And)))
                        .should(s -> s.term(t -> t.field("username.exact").value(lower).boost(EXACT_USERNAME_BOOST)))
                        .minimumShouldMatch("1")
                        .mustNot(n -> n.term(t -> t.field("deleted").value(true)))))
                .sort(s -> s.score(o -> o.order(SortOrder.Desc)))
                .sort(s -> s.field(f -> f.field("username.exact").order(SortOrder.Asc)))
                .build();
        List<UserProfile> users = new ArrayList<>();
        for (Hit<Map> hit : search(request).hits().hits()) {
            Map<?, ?> source = hit.source();
            users.add(new UserProfile(Long.parseLong(string(source, "id")), string(source, "username"),
                    string(source, "displayName"), string(source, "bio"), Instant.parse(string(source, "createdAt"))));
        }
        return users;
    }

    @Override
    public List<Trend> trends(Instant since, int limit) {
        SearchRequest request = new SearchRequest.Builder().index(properties.tweetsAlias()).size(0)
                .trackTotalHits(t -> t.enabled(false))
                .query(q -> q.bool(b -> b
                        .filter(f -> f.range(r -> r.date(d -> d.field("createdAt").gte(ApiTimestamps.format(since)))))
                        .mustNot(n -> n.term(t -> t.field("deleted").value(true)))))
                .aggregations("top", a -> a.terms(t -> t.field("hashtags").size(limit)))
                .build();
        return search(request).aggregations().get("top").sterms().buckets().array().stream()
                .map(b -> new Trend(b.key().stringValue(), b.docCount())).toList();
    }

    @SuppressWarnings("rawtypes")
    private SearchResponse<Map> search(SearchRequest request) {
        try {
            return client.search(request, Map.class);
        } catch (ElasticsearchException | IOException e) {
            throw new SearchUnavailableException("search failed", e);
        }
    }

    @SuppressWarnings("rawtypes")
    private static SortKey sortKey(Hit<Map> hit) {
        List<FieldValue> sort = hit.sort();
        return new SortKey((float) number(sort.get(0)), (long) number(sort.get(1)), Long.parseLong(sort.get(2).stringValue()));
    }

    private static double number(FieldValue value) {
        return value.isLong() ? value.longValue() : value.isDouble() ? value.doubleValue() : Double.parseDouble(value._toJsonString());
    }

    private static TweetView tweet(Map<?, ?> s) {
        return new TweetView(string(s, "id"), string(s, "authorId"), string(s, "authorUsername"), string(s, "text"),
                string(s, "createdAt"), (String) s.get("replyToId"), (String) s.get("retweetOfId"),
                list(s, "hashtags"), list(s, "mentions"), count(s, "likeCount"),
                count(s, "retweetCount"), count(s, "replyCount"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<?, ?> source, String field) {
        Object value = source.get(field);
        return value instanceof List<?> l ? (List<String>) l : List.of();
    }

    private static String string(Map<?, ?> source, String field) {
        Object value = source.get(field);
        return value == null ? "" : value.toString();
    }

    private static long count(Map<?, ?> source, String field) {
        Object value = source.get(field);
        return value instanceof Number n ? n.longValue() : 0;
    }
}
