package io.chirp.search;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import org.apache.http.HttpHost;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.search.support.ChirpEvents;
import io.chirp.search.support.SearchApi;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * Tweet search on real Elasticsearch and Kafka: events in as tweet-service publishes them,
 * answers out through the HTTP API.
 */
@RealEngines({Engine.ELASTICSEARCH, Engine.KAFKA})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TweetSearchIT {

    private static final Duration VISIBLE = Duration.ofSeconds(20);
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    /** Elasticsearch's {@code _english_} stop words (Lucene's EnglishAnalyzer set). */
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by", "for",
            "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then",
            "there", "these", "they", "this", "to", "was", "will", "with");

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    @Inject
    MeterRegistry metrics;

    ChirpEvents events;
    SearchApi api;
    final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6);

    @BeforeAll
    void connect() {
        events = new ChirpEvents(json);
        api = new SearchApi(server.getURI(), json);
    }

    @AfterAll
    void disconnect() {
        events.close();
    }

    static String id(TweetCreated tweet) {
        return Long.toString(tweet.tweetId());
    }

    /** Publishes {@code marker} to the partition of {@code after} and waits until it is searchable: {@code after} was handled. */
    void awaitHandled(RecordMetadata after, TweetCreated marker, String markerQuery) {
        events.postTo(after.partition(), marker);
        await().atMost(VISIBLE).until(() -> api.tweetIds(markerQuery).contains(id(marker)));
    }

    @Test
    void aPostedTweetIsFoundByAWordItsHashtagAndItsAuthorsMentionWithinSecondsPrintsP99() {
        ChirpEvents.User author = events.register("p" + run, "Latency " + run);
        ChirpEvents.User friend = events.register("f" + run, "Friend " + run);
        int posts = 200;
        List<TweetCreated> tweets = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            tweets.add(events.tweet(author, "measuring" + run + " visibility " + i + " #lat" + run + " with @"
                    + friend.username()));
        }
        Map<String, Long> publishedAt = new ConcurrentHashMap<>();
        Map<String, Long> foundAt = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        // one post every 10 ms, as a steady stream of users would
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        publisher.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i < posts) {
                publishedAt.put(id(tweets.get(i)), System.nanoTime());
                events.postAsync(tweets.get(i));
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        String everything = "measuring" + run + " #lat" + run + " @" + author.username();
        try {
            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> {
                        for (String found : api.allTweetIds(everything, 100)) {
                            foundAt.putIfAbsent(found, System.nanoTime());
                        }
                        return foundAt.size() == posts;
                    });
        } finally {
            publisher.shutdownNow();
        }
        List<Long> micros = new ArrayList<>();
        for (TweetCreated tweet : tweets) {
            micros.add((foundAt.get(id(tweet)) - publishedAt.get(id(tweet))) / 1000);
        }
        Collections.sort(micros);
        System.out.printf("search visibility over %d posts (publish -> found by word, #hashtag and @author in"
                        + " GET /search/tweets): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", posts,
                micros.get(posts / 2 - 1) / 1000.0, micros.get(posts * 99 / 100 - 1) / 1000.0, micros.get(posts - 1) / 1000.0);

        Set<String> all = new HashSet<>(tweets.stream().map(TweetSearchIT::id).toList());
        assertEquals(all, new HashSet<>(api.allTweetIds("measuring" + run, 100)), "by the word alone");
        assertEquals(all, new HashSet<>(api.allTweetIds("#LAT" + run, 100)), "by the hashtag alone, any case");
        assertEquals(all, new HashSet<>(api.allTweetIds("@" + author.username().toUpperCase(), 100)), "by @author");
        assertEquals(all, new HashSet<>(api.allTweetIds("@" + friend.username(), 100)), "by the mention in it");

        Map<String, Object> first = api.tweets("measuring" + run + " visibility 7", 1, null).items().get(0);
        assertEquals(id(tweets.get(7)), first.get("id"));
        assertEquals(Long.toString(author.id()), first.get("authorId"), "ids are strings");
        assertEquals(author.username(), first.get("authorUsername"));
        assertEquals(tweets.get(7).text(), first.get("text"));
        assertEquals(List.of("lat" + run), first.get("hashtags"));
        assertEquals(List.of(friend.username()), first.get("mentions"));
        assertTrue(((String) first.get("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertTrue(first.containsKey("replyToId") && first.get("replyToId") == null);
        assertEquals(0, ((Number) first.get("likeCount")).intValue());
    }

    @Test
    void aDeletedTweetDisappearsAndItsTweetCreatedReplayedAfterwardsDoesNotBringItBack() {
        ChirpEvents.User author = events.register("d" + run, "Deleter");
        TweetCreated tweet = events.tweet(author, "ephemeral" + run + " words #gone" + run);
        events.post(tweet);
        await().atMost(VISIBLE).until(() -> api.tweetIds("ephemeral" + run).equals(List.of(id(tweet))));

        long start = System.nanoTime();
        RecordMetadata deleted = events.delete(tweet);
        await().atMost(VISIBLE).pollInterval(Duration.ofMillis(10)).until(() -> api.tweetIds("ephemeral" + run).isEmpty());
        System.out.printf("deleted tweet gone from search after %.1f ms%n", (System.nanoTime() - start) / 1e6);
        assertEquals(List.of(), api.tweetIds("#gone" + run));

        // the same TweetCreated delivered again (at-least-once), and a reprocessed copy published later
        events.post(tweet);
        TweetCreated late = new TweetCreated(UUID.randomUUID(), tweet.occurredAt(), tweet.schemaVersion(),
                tweet.tweetId(), tweet.authorId(), tweet.authorUsername(), tweet.text(), tweet.hashtags(),
                tweet.mentions(), null, null, tweet.createdAt());
        events.post(late);
        awaitHandled(deleted, events.tweet(author, "marker" + run + " after replay"), "marker" + run);
        assertEquals(List.of(), api.tweetIds("ephemeral" + run), "a replayed TweetCreated does not resurrect");
        assertEquals(List.of(), api.tweetIds("#gone" + run));
    }

    @Test
    void wordsAreStemmedAndAccentFoldedPhrasesAreExactAndAllPartsMustMatch() {
        ChirpEvents.User author = events.register("s" + run, "Stemmer");
        TweetCreated running = events.tweet(author, "Running to the café with friends q" + run);
        TweetCreated ran = events.tweet(author, "friends with cafe lovers run q" + run + " #coffee");
        TweetCreated other = events.tweet(author, "Nothing in common q" + run);
        List.of(running, ran, other).forEach(events::post);
        await().atMost(VISIBLE).until(() -> api.tweetIds("q" + run).size() == 3);

        assertEquals(Set.of(id(running), id(ran)), Set.copyOf(api.tweetIds("q" + run + " runs")), "stemmed: runs ~ running ~ run");
        assertEquals(Set.of(id(running), id(ran)), Set.copyOf(api.tweetIds("q" + run + " CAFE")), "folded and case-blind");
        assertEquals(List.of(id(running)), api.tweetIds("q" + run + " \"café with friends\""), "a phrase keeps its order");
        assertEquals(List.of(id(ran)), api.tweetIds("q" + run + " \"friends with cafe\""));
        assertEquals(List.of(id(ran)), api.tweetIds("q" + run + " friends #Coffee"), "words AND hashtag");
        assertEquals(List.of(), api.tweetIds("q" + run + " friends #tea"));
        assertEquals(List.of(), api.tweetIds("q" + run + " friends enemies"), "every word must match");
        assertEquals(Set.of(id(running), id(ran), id(other)), Set.copyOf(api.tweetIds("the q" + run)),
                "stop words do not veto");
        // relevance: the words together and in order rank first, whatever the age
        assertEquals(id(running), api.tweetIds("with friends q" + run).get(0));
    }

    @Test
    void queriesFullOfSearchSyntaxAnswer200Or400AndNeverMatchUnrelatedTweets() {
        ChirpEvents.User author = events.register("x" + run, "Syntax");
        String a = "alpha" + run;
        String b = "bravo" + run;
        String c = "charlie" + run;
        Map<String, TweetCreated> corpus = new LinkedHashMap<>();
        corpus.put(a, events.tweet(author, a + " sunrise over hills"));
        corpus.put(b, events.tweet(author, b + " and " + c + " at sunset"));
        corpus.put(c, events.tweet(author, c + " {json} ~tilde* back\\slash"));
        corpus.values().forEach(events::post);
        await().atMost(VISIBLE).until(() -> api.tweetIds(c).size() == 2);

        List<String> nasty = List.of("*", "?", "~", "{", "}", "\\", "\"", "\"\"", "OR", "AND", "NOT", "*:*", "_all",
                "{\"query\":{\"match_all\":{}}}", "{\"query\":", "\"unbalanced " + a, a + " \"unbalanced",
                a + "*", a + "~", a + "~2", a + "^100", "+" + a, "-" + a, "(" + a + ")", a + " OR " + c,
                a + " || " + c, a + " AND NOT " + c, "NOT " + a, "text:" + a, "_exists_:text", "[* TO *]", "/.*/",
                "\\" + a + "\\", a + " \\\" OR 1=1", "#", "@", "#{", "@@" + a, "##" + a, "#" + a + "*", "<>", "&&",
                "!" + a, b + " " + c, "\"" + b + " and " + c + "\"", "\"" + c + " and " + b + "\"", "{json}",
                "*" + c + "*", "%", "%00", "😀 " + a, "\u0000" + a, "   ", "", "x".repeat(201), "é".repeat(200));
        for (String q : nasty) {
            SearchApi.Answer answer = api.tweets(q, 100, null);
            assertTrue(answer.status() == 200 || answer.status() == 400, q + " -> " + answer.status() + " " + answer.body());
            if (answer.status() == 400) {
                assertEquals("application/problem+json", answer.contentType(), q);
                assertTrue(((String) answer.json().get("detail")).contains("q"), q + ": " + answer.body());
                continue;
            }
            // allowed: the corpus tweets holding every word of the query (stop words aside); nothing else at all
            List<String> words = WORD.matcher(q.toLowerCase(Locale.ROOT)).results().map(MatchResult::group)
                    .filter(w -> !STOP_WORDS.contains(w)).toList();
            Set<String> allowed = new HashSet<>();
            if (!words.isEmpty()) {
                corpus.values().stream().filter(t -> words.stream().allMatch(t.text().toLowerCase(Locale.ROOT)::contains))
                        .forEach(t -> allowed.add(id(t)));
            }
            assertTrue(allowed.containsAll(answer.ids()), q + " matched unrelated tweets: " + answer.ids());
        }
        assertEquals(List.of(id(corpus.get(a))), api.tweetIds(a + "*"), "operators are plain characters");
        assertEquals(List.of(id(corpus.get(a))), api.tweetIds("-" + a));
        assertEquals(List.of(), api.tweetIds(a + " OR " + c), "OR is a (stop) word, not an operator");
        assertEquals(List.of(id(corpus.get(b))), api.tweetIds("\"" + b + " and " + c + "\""));
        assertEquals(List.of(), api.tweetIds("\"" + c + " and " + b + "\""));
        assertEquals(400, api.tweets("x".repeat(201), 10, null).status());
        assertEquals(200, api.tweets("é".repeat(200), 10, null).status(), "200 characters are allowed");
        assertEquals(400, api.get("/api/v1/search/tweets").status(), "q is required");
    }

    @Test
    void pagingByCursorHasNoDuplicatesOrGapsEvenWhileNewTweetsArrive() {
        ChirpEvents.User author = events.register("g" + run, "Pager");
        String word = "pager" + run;
        String second = "cider" + run;
        List<TweetCreated> adjacent = new ArrayList<>();
        List<TweetCreated> apart = new ArrayList<>();
        List<TweetCreated> stemmedOnly = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            adjacent.add(events.tweet(author, word + " " + second + " number " + i));
            apart.add(events.tweet(author, second + " then " + word + " number " + i));
            stemmedOnly.add(events.tweet(author, word + "s and " + second + "s number " + i));
        }
        List<TweetCreated> all = new ArrayList<>();
        all.addAll(adjacent);
        all.addAll(apart);
        all.addAll(stemmedOnly);
        Collections.shuffle(all);
        all.forEach(events::postAsync);
        events.flush();
        String q = word + " " + second;
        await().atMost(VISIBLE).until(() -> api.tweetIds(q).size() == 27);

        List<String> expected = new ArrayList<>();
        for (List<TweetCreated> tier : List.of(adjacent, apart, stemmedOnly)) {
            // within a tier (same relevance) newest first: ids are time-ordered
            tier.stream().map(t -> t.tweetId()).sorted(Collections.reverseOrder())
                    .forEach(tweetId -> expected.add(Long.toString(tweetId)));
        }
        assertEquals(expected, api.tweetIds(q), "best match first, ties newest first");
        for (int size : List.of(1, 4, 7, 27, 100)) {
            assertEquals(expected, api.allTweetIds(q, size), "pages of " + size);
        }

        // page on while better and newer tweets arrive: the cursor neither repeats nor skips
        SearchApi.Answer firstPage = api.tweets(q, 5, null);
        List<TweetCreated> newer = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            newer.add(events.tweet(author, word + " " + second + " newer" + run + " " + i));
        }
        newer.forEach(events::post);
        await().atMost(VISIBLE).until(() -> api.tweetIds("newer" + run).size() == 4);
        List<String> paged = new ArrayList<>(firstPage.ids());
        String cursor = firstPage.nextCursor();
        while (cursor != null) {
            SearchApi.Answer page = api.tweets(q, 5, cursor);
            paged.addAll(page.ids());
            cursor = page.nextCursor();
        }
        assertEquals(expected, paged, "no duplicates, no gaps, despite the new tweets");
        assertEquals(31, api.tweetIds(q).size());
    }

    @Test
    void badParametersAre400ProblemsNamingTheField() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/api/v1/search/tweets?q=x&cursor=forged", "cursor");
        cases.put("/api/v1/search/tweets?q=x&cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor");
        cases.put("/api/v1/search/tweets?q=x&cursor=" + "A".repeat(300), "cursor");
        cases.put("/api/v1/search/tweets?q=x&limit=0", "limit");
        cases.put("/api/v1/search/tweets?q=x&limit=101", "limit");
        cases.put("/api/v1/search/tweets?q=%20%20", "q");
        cases.put("/api/v1/search/users", "q");
        cases.put("/api/v1/search/users?q=" + "a".repeat(101), "q");
        cases.put("/api/v1/search/users?q=a&limit=500", "limit");
        cases.forEach((path, field) -> {
            SearchApi.Answer answer = api.get(path);
            assertEquals(400, answer.status(), path + " " + answer.body());
            assertEquals("application/problem+json", answer.contentType());
            assertTrue(((String) answer.json().get("detail")).contains(field), path + " " + answer.body());
        });
        // a real cursor with one character changed is refused too
        ChirpEvents.User author = events.register("c" + run, "Cursor");
        events.post(events.tweet(author, "cursor" + run + " one"));
        events.post(events.tweet(author, "cursor" + run + " two"));
        await().atMost(VISIBLE).until(() -> api.tweetIds("cursor" + run).size() == 2);
        String cursor = api.tweets("cursor" + run, 1, null).nextCursor();
        assertNotNull(cursor);
        char last = cursor.charAt(10);
        String tampered = cursor.substring(0, 10) + (last == 'A' ? 'B' : 'A') + cursor.substring(11);
        assertEquals(400, api.tweets("cursor" + run, 1, tampered).status());
        assertNull(api.tweets("cursor" + run, 1, cursor).nextCursor(), "the last page has no next cursor");
    }

    @Test
    void anUndecodableEventIsDeadLetteredAndTheNextEventsAreStillIndexed() {
        ChirpEvents.User author = events.register("u" + run, "Poison");
        TweetCreated good = events.tweet(author, "survivor" + run + " after poison");
        RecordMetadata poison = events.publishRaw(Topics.TWEET_EVENTS, good.tweetId(), "TweetCreated", "{not json");
        events.postTo(poison.partition(), good);
        await().atMost(VISIBLE).until(() -> api.tweetIds("survivor" + run).equals(List.of(id(good))));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedEngines.get().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-probe-" + run), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.deadLetter(Topics.TWEET_EVENTS)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Set<String> seen = new LinkedHashSet<>();
            await().atMost(VISIBLE).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value() + "|" + new String(r.headers().lastHeader("chirp-event-type").value())
                            + "|" + new String(r.headers().lastHeader("chirp-dlt-consumer").value()));
                }
                return seen.contains(good.tweetId() + "={not json|TweetCreated|search-service");
            });
        }
    }

    @Test
    void aBatchTheEngineFailsIsAppliedAgainAfterABackoffNotDeadLettered() throws Exception {
        ChirpEvents.User author = events.register("r" + run, "Retrier");
        events.post(events.tweet(author, "warmup" + run));
        await().atMost(VISIBLE).until(() -> api.tweetIds("warmup" + run).size() == 1);
        double failures = metrics.counter("chirp.search.batch.failures").count();
        double deadLettered = metrics.counter("chirp.search.dead.lettered").count();
        TweetCreated tweet = events.tweet(author, "patient" + run + " tweet");
        try (RestClient elasticsearch = RestClient.builder(HttpHost.create(SharedEngines.get().elasticsearchUrl())).build()) {
            Map<?, ?> aliases = json.readValue(elasticsearch.performRequest(new Request("GET", "/_alias/tweets"))
                    .getEntity().getContent(), Map.class);
            String index = (String) aliases.keySet().iterator().next();
            elasticsearch.performRequest(new Request("POST", "/" + index + "/_close"));
            try {
                events.post(tweet);
                await().atMost(VISIBLE).until(() -> metrics.counter("chirp.search.batch.failures").count() > failures);
            } finally {
                elasticsearch.performRequest(new Request("POST", "/" + index + "/_open"));
            }
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> api.tweetIds("patient" + run).equals(List.of(id(tweet))));
        assertEquals(deadLettered, metrics.counter("chirp.search.dead.lettered").count(), "nothing dead-lettered");
    }
}
