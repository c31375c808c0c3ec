package io.chirp.tweet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.chirp.platform.events.Topics;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** The Tweets section of API.md through the service's HTTP API, on two real shards and Kafka. */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
@MicronautTest
class TweetsApiIT extends ApiTestSupport {

    static final String EMOJI = "\uD83D\uDE00"; // U+1F600, one code point, two UTF-16 chars

    TopicProbe events;

    @BeforeAll
    void startProbe() {
        events = new TopicProbe(Topics.TWEET_EVENTS);
    }

    @AfterAll
    void stopProbe() throws InterruptedException {
        events.close();
    }

    @Test
    void postedTweetIsReturnedWithEveryFieldOfTheContractAndReadBack() {
        TestUser alice = newUser("al_");
        Response created = tryPost(alice, Map.of("text", "  Hello #Chirp and #chirp, #2026 #x_1 @nobody_here  "));
        assertEquals(201, created.status(), created.body());
        JsonNode tweet = created.json();
        String id = tweet.path("id").asText();
        assertTrue(tweet.path("id").isTextual(), "ids are JSON strings");
        assertEquals("/api/v1/tweets/" + id, created.header("Location"));
        assertEquals(Long.toString(alice.id()), tweet.path("authorId").asText());
        assertTrue(tweet.path("authorId").isTextual());
        assertEquals(alice.username(), tweet.path("authorUsername").asText(), "from the token while no event came");
        assertEquals("Hello #Chirp and #chirp, #2026 #x_1 @nobody_here", tweet.path("text").asText(), "trimmed");
        assertTrue(tweet.path("createdAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertTrue(tweet.has("replyToId") && tweet.path("replyToId").isNull(), "nulls are shown: " + tweet);
        assertTrue(tweet.has("retweetOfId") && tweet.path("retweetOfId").isNull());
        assertEquals(List.of("chirp", "x_1"), strings(tweet.path("hashtags")), "lower-cased, once, #2026 is no tag");
        assertEquals(List.of(), strings(tweet.path("mentions")), "an unknown user's @name stays text");
        assertEquals(0, tweet.path("likeCount").asInt());
        assertEquals(0, tweet.path("retweetCount").asInt());
        assertEquals(0, tweet.path("replyCount").asInt());
        assertEquals(tweet, tweet(id));
        assertEquals(12, tweet.size(), "exactly the Tweet fields of API.md: " + tweet);
    }

    @Test
    void mentionsOfKnownUsersAreExtractedAsTypedOthersStayText() {
        TestUser bob = newUser("bob_");
        post(bob, "first"); // bob is known here from now on
        TestUser carol = newUser("ca_");
        JsonNode tweet = post(carol, "hi @" + bob.username().toUpperCase() + " and @ghost_" + bob.id() % 1000
                + ", mail me at carol@example.com @" + bob.username());
        assertEquals(List.of(bob.username().toUpperCase()), strings(tweet.path("mentions")));
    }

    @Test
    void textRulesAreCheckedInCodePointsAfterTrimming() {
        TestUser user = newUser("tx_");
        assertProblem(tryPost(user, Map.of("text", "a".repeat(281))), 400, "text");
        assertProblem(tryPost(user, Map.of("text", EMOJI.repeat(281))), 400, "text");
        JsonNode emoji = post(user, EMOJI.repeat(280));
        assertEquals(EMOJI.repeat(280), emoji.path("text").asText(), "280 emoji are 280 code points");
        assertEquals(201, tryPost(user, Map.of("text", "  " + "b".repeat(280) + " \n ")).status(), "trimmed first");
        assertProblem(tryPost(user, Map.of("text", "   \n\t  ")), 400, "text");
        assertProblem(tryPost(user, Map.of("text", "")), 400, "text");
        assertProblem(tryPost(user, Map.of("text", "bell\u0007")), 400, "text");
        assertProblem(tryPost(user, Map.of("text", "tab\tinside")), 400, "text");
        assertProblem(tryPost(user, Map.of("text", "nul\u0000inside")), 400, "text");
        assertEquals("two\nlines", post(user, "two\nlines").path("text").asText(), "newline is allowed");
        assertProblem(tryPost(user, Map.of("replyToId", "1")), 400, "text");
        assertProblem(tryPost(user, "{not json"), 400, "");
        assertProblem(tryPost(user, Map.of("text", "hi", "replyToId", "abc")), 400, "replyToId");
    }

    @Test
    void writesNeedAValidToken() {
        TestUser user = newUser("au_");
        String id = post(user, "mine").path("id").asText();
        assertEquals(401, tryPost(null, Map.of("text", "anonymous")).status());
        assertEquals(401, send("POST", "/api/v1/tweets", "not.a.jwt", Map.of("text", "x")).status());
        assertEquals(401, send("POST", "/api/v1/tweets", TestJwks.forgedToken(user.id(), user.username()),
                Map.of("text", "forged")).status());
        assertEquals(401, delete(null, id).status());
        assertEquals(401, send("POST", "/api/v1/tweets/" + id + "/retweets", null, null).status());
        assertEquals(200, get("/api/v1/tweets/" + id).status(), "reads are public");
    }

    @Test
    void repliesNeedALiveParentCountAndAreListedNewestFirst() {
        TestUser author = newUser("pa_");
        TestUser replier = newUser("re_");
        String parent = post(author, "parent").path("id").asText();
        assertProblem(tryPost(replier, Map.of("text", "to nothing", "replyToId", "123456789")), 404, "123456789");
        String first = post(replier, "first reply", parent).path("id").asText();
        JsonNode second = post(author, "second reply", parent);
        assertEquals(parent, second.path("replyToId").asText());
        assertEquals(2, tweet(parent).path("replyCount").asInt());
        assertEquals(List.of(second.path("id").asText(), first), allIds("/api/v1/tweets/" + parent + "/replies", 1));
        assertProblem(get("/api/v1/tweets/424242/replies"), 404, "424242");

        assertEquals(204, delete(replier, first).status());
        assertEquals(1, tweet(parent).path("replyCount").asInt(), "a deleted reply is not counted");
        assertEquals(List.of(second.path("id").asText()), allIds("/api/v1/tweets/" + parent + "/replies", 20));
        assertEquals(204, delete(author, parent).status());
        assertProblem(tryPost(replier, Map.of("text", "too late", "replyToId", parent)), 404, parent);
        assertProblem(get("/api/v1/tweets/" + parent + "/replies"), 404, parent);
    }

    @Test
    void onlyTheAuthorDeletesAndADeletedTweetIsGone() {
        TestUser author = newUser("de_");
        TestUser other = newUser("ot_");
        String id = post(author, "short-lived").path("id").asText();
        assertProblem(delete(other, id), 403, id);
        assertEquals(200, get("/api/v1/tweets/" + id).status());
        assertEquals(204, delete(author, id).status());
        assertProblem(get("/api/v1/tweets/" + id), 404, id);
        assertProblem(delete(author, id), 404, id);
        assertProblem(delete(author, "987654321"), 404, "987654321");
        assertProblem(get("/api/v1/tweets/not-an-id"), 400, "id");
    }

    @Test
    void retweetingIsIdempotentPerUserAndCountsOnce() {
        TestUser author = newUser("rt_");
        TestUser fan = newUser("fan_");
        String original = post(author, "worth sharing #news").path("id").asText();
        Response first = retweet(fan, original);
        Response again = retweet(fan, original);
        assertEquals(201, first.status(), first.body());
        assertEquals(201, again.status(), again.body());
        JsonNode retweet = first.json();
        assertEquals(retweet, again.json(), "the same retweet");
        assertEquals("/api/v1/tweets/" + retweet.path("id").asText(), first.header("Location"));
        assertEquals(original, retweet.path("retweetOfId").asText());
        assertEquals(Long.toString(fan.id()), retweet.path("authorId").asText());
        assertEquals(fan.username(), retweet.path("authorUsername").asText());
        assertEquals("worth sharing #news", retweet.path("text").asText());
        assertEquals(List.of("news"), strings(retweet.path("hashtags")));
        assertEquals(retweet, retweet(fan, retweet.path("id").asText()).json(), "retweeting a retweet is the original's");
        assertEquals(1, tweet(original).path("retweetCount").asInt());
        assertEquals(0, tweet(retweet.path("id").asText()).path("retweetCount").asInt());

        assertEquals(204, delete(fan, retweet.path("id").asText()).status());
        assertEquals(0, tweet(original).path("retweetCount").asInt(), "undone");
        JsonNode anew = retweet(fan, original).json();
        assertFalse(anew.path("id").asText().equals(retweet.path("id").asText()), "a new retweet after the undo");
        assertEquals(1, tweet(original).path("retweetCount").asInt());
        assertProblem(retweet(fan, "55555555"), 404, "55555555");
    }

    @Test
    void userTimelinePagesNewestFirstAndAnswers404ForAnUnknownUser() {
        TestUser user = newUser("ut_");
        String a = post(user, "one").path("id").asText();
        String b = post(user, "two").path("id").asText();
        String c = post(user, "three").path("id").asText();
        String path = "/api/v1/users/" + user.id() + "/tweets";
        assertEquals(List.of(c, b, a), allIds(path, 2));
        assertEquals(List.of(c, b, a), allIds(path, 20));
        JsonNode page = get(path + "?limit=2").json();
        assertEquals(2, page.path("items").size());
        assertTrue(page.path("nextCursor").isTextual());
        assertTrue(get(path).json().path("nextCursor").isNull(), "null on the last page");
        for (String id : List.of(a, b, c)) {
            assertEquals(204, delete(user, id).status());
        }
        Response empty = get(path);
        assertEquals(200, empty.status(), "a known user with no tweets: " + empty.body());
        assertEquals(0, empty.json().path("items").size());
        assertProblem(get("/api/v1/users/" + newUser("nobody").id() + "/tweets"), 404, "user");
        assertProblem(get(path + "?limit=0"), 400, "limit");
        assertProblem(get(path + "?limit=101"), 400, "limit");
        assertProblem(get(path + "?cursor=forged!"), 400, "cursor");
        assertProblem(get("/api/v1/users/x1/tweets"), 400, "id");
    }

    @Test
    void postThenDeletePublishesTweetCreatedThenTweetDeletedInOrderOnceEach() {
        TestUser author = newUser("ev_");
        TestUser known = newUser("kn_");
        post(known, "I exist");
        JsonNode tweet = post(author, "eventful #Kafka @" + known.username());
        String id = tweet.path("id").asText();
        assertEquals(204, delete(author, id).status());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(1, events.matching("TweetCreated", j -> j.path("tweetId").asText().equals(id)).size(),
                    events.summary());
            assertEquals(1, events.matching("TweetDeleted", j -> j.path("tweetId").asText().equals(id)).size(),
                    events.summary());
        });
        List<TopicProbe.Event> ofTweet = events.on(Topics.TWEET_EVENTS, e -> id.equals(e.key()));
        assertEquals(List.of("TweetCreated", "TweetDeleted"), ofTweet.stream().map(TopicProbe.Event::type).toList(),
                "keyed by the tweet id, so in order on one partition");
        JsonNode created = ofTweet.get(0).json();
        assertEquals(author.id(), created.path("authorId").asLong());
        assertEquals(author.username(), created.path("authorUsername").asText());
        assertEquals("eventful #Kafka @" + known.username(), created.path("text").asText());
        assertEquals(List.of("kafka"), strings(created.path("hashtags")));
        assertEquals(List.of(known.username()), strings(created.path("mentions")));
        assertTrue(created.path("replyToId").isNull());
        assertTrue(created.path("retweetOfId").isNull());
        assertFalse(created.path("createdAt").isMissingNode());
        assertFalse(created.path("eventId").asText().isEmpty());
        assertEquals(1, created.path("schemaVersion").asInt());
        assertEquals(author.id(), ofTweet.get(1).json().path("authorId").asLong());
        assertFalse(ofTweet.get(0).headers().get("chirp-event-id").equals(ofTweet.get(1).headers().get("chirp-event-id")));
    }

    @Test
    void replyAndRetweetPublishTweetCreatedWithTheirParent() {
        TestUser author = newUser("pp_");
        TestUser other = newUser("oo_");
        String parent = post(author, "parent").path("id").asText();
        String reply = post(other, "reply", parent).path("id").asText();
        String retweet = retweet(other, parent).json().path("id").asText();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(1, events.matching("TweetCreated", j -> j.path("tweetId").asText().equals(reply)
                    && j.path("replyToId").asText().equals(parent) && j.path("retweetOfId").isNull()).size());
            assertEquals(1, events.matching("TweetCreated", j -> j.path("tweetId").asText().equals(retweet)
                    && j.path("retweetOfId").asText().equals(parent) && j.path("replyToId").isNull()).size());
        });
        retweet(other, parent);
        assertEquals(1, events.matching("TweetCreated", j -> j.path("tweetId").asText().equals(retweet)).size(),
                "an idempotent retweet publishes nothing again");
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
