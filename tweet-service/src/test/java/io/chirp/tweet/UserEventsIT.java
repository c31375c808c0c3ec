package io.chirp.tweet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserRegistered;
import io.chirp.platform.events.UserUpdated;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/** What tweet-service does with the user events that user-service publishes. */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
@MicronautTest
class UserEventsIT extends ApiTestSupport {

    static final String GROUP = "tweet-service";
    static final String CONSUMER = "tweet-service.user-events";

    @Inject
    JsonMapper json;

    @Inject
    ShardedDataSources shards;

    @Inject
    MeterRegistry meters;

    TopicProbe events;

    @Override
    Map<String, String> moreProperties() {
        return Map.of("chirp.tweets.deletion-batch-size", "2"); // several batches for a handful of tweets
    }

    @BeforeAll
    void startProbe() {
        events = new TopicProbe(Topics.TWEET_EVENTS, Topics.ACCOUNT_DELETION_REPLIES,
                Topics.deadLetter(Topics.USER_EVENTS));
    }

    @AfterAll
    void stopProbe() throws InterruptedException {
        events.close();
    }

    @Test
    void userRegisteredSetsTheAuthorUsernameAndARedeliveredEventChangesNothing() throws Exception {
        TestUser user = newUser("tok_"); // the token's username claim, which the event overrides
        String registered = unique("Reg_");
        UUID eventId = UUID.randomUUID();
        publish(user.id(), new UserRegistered(eventId, Instant.now(), UserRegistered.SCHEMA_VERSION, user.id(),
                registered, "Reg"));
        KafkaTestSupport.awaitConsumed(GROUP, Topics.USER_EVENTS);

        assertEquals(200, get("/api/v1/users/" + user.id() + "/tweets").status(), "a known user, no tweets yet");
        String id = post(user, "first words").path("id").asText();
        assertEquals(registered, tweet(id).path("authorUsername").asText());

        double duplicates = consumed("UserRegistered", "duplicate");
        publish(user.id(), new UserRegistered(eventId, Instant.now(), UserRegistered.SCHEMA_VERSION, user.id(),
                "Mallory", "Mallory"));
        KafkaTestSupport.awaitConsumed(GROUP, Topics.USER_EVENTS);
        assertEquals(duplicates + 1, consumed("UserRegistered", "duplicate"));
        assertEquals(registered, tweet(id).path("authorUsername").asText(), "the redelivery changed nothing");

        String renamed = unique("Ren_");
        publish(user.id(), new UserUpdated(UUID.randomUUID(), Instant.now(), UserUpdated.SCHEMA_VERSION, user.id(),
                renamed, "Reg", "bio"));
        KafkaTestSupport.awaitConsumed(GROUP, Topics.USER_EVENTS);
        assertEquals(renamed, tweet(id).path("authorUsername").asText(), "existing tweets show the new username");
    }

    @Test
    void aPostBeforeTheUserRegisteredEventCarriesTheTokensUsernameUntilTheEventArrives() throws Exception {
        TestUser user = newUser("early_");
        String id = post(user, "faster than the event").path("id").asText();
        assertEquals(user.username(), tweet(id).path("authorUsername").asText());
        String canonical = user.username().toUpperCase();
        publish(user.id(), new UserRegistered(UUID.randomUUID(), Instant.now(), UserRegistered.SCHEMA_VERSION,
                user.id(), canonical, ""));
        KafkaTestSupport.awaitConsumed(GROUP, Topics.USER_EVENTS);
        assertEquals(canonical, tweet(id).path("authorUsername").asText());
    }

    @Test
    void userDeletionRequestedDeletesEveryTweetOfTheUserAndIsAcknowledgedOnce() throws Exception {
        TestUser leaving = newUser("bye_");
        TestUser other = newUser("stay_");
        String others = post(other, "still here").path("id").asText();
        List<String> theirs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            theirs.add(post(leaving, "tweet " + i).path("id").asText());
        }
        theirs.add(post(leaving, "a reply", others).path("id").asText());
        theirs.add(retweet(leaving, others).json().path("id").asText());
        assertEquals(1, tweet(others).path("replyCount").asInt());
        assertEquals(1, tweet(others).path("retweetCount").asInt());

        UUID deletionId = UUID.randomUUID();
        UserDeletionRequested request = new UserDeletionRequested(UUID.randomUUID(), Instant.now(),
                UserDeletionRequested.SCHEMA_VERSION, leaving.id(), deletionId);
        publish(leaving.id(), request);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(1,
                events.matching("AccountDeletionStepDone", j -> j.path("deletionId").asText()
                        .equals(deletionId.toString())).size(), events.summary()));
        var done = events.matching("AccountDeletionStepDone",
                j -> j.path("deletionId").asText().equals(deletionId.toString())).get(0);
        assertEquals(Long.toString(leaving.id()), done.key());
        assertEquals("tweet-service", done.json().path("participant").asText());
        assertEquals(leaving.id(), done.json().path("userId").asLong());
        for (String id : theirs) {
            assertEquals(404, get("/api/v1/tweets/" + id).status(), id);
        }
        assertEquals(404, get("/api/v1/users/" + leaving.id() + "/tweets").status());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(theirs.size(),
                events.matching("TweetDeleted", j -> j.path("authorId").asLong() == leaving.id()).size()));
        assertEquals(403, tryPost(leaving, Map.of("text", "am I gone?")).status(), "no posts after the deletion");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(0, tweet(others).path("replyCount").asInt(), "from the TweetDeleted of the reply");
            assertEquals(0, tweet(others).path("retweetCount").asInt(), "from the TweetDeleted of the retweet");
        });
        assertEquals(200, get("/api/v1/tweets/" + others).status(), "other users' tweets stay");

        publish(leaving.id(), request); // redelivered
        KafkaTestSupport.awaitConsumed(GROUP, Topics.USER_EVENTS);
        assertEquals(1, acknowledgementsInOutbox(leaving.id(), deletionId), "acknowledged once");
    }

    @Test
    void aPoisonRecordIsDeadLetteredAtOnceAndConsumptionMovesOn() throws Exception {
        TestUser user = newUser("poi_");
        double failures = consumed("UserRegistered", "failed");
        KafkaTestSupport.publish(Topics.USER_EVENTS, user.id(), "UserRegistered", UUID.randomUUID(), "{not json");
        publish(user.id(), new UserRegistered(UUID.randomUUID(), Instant.now(), UserRegistered.SCHEMA_VERSION,
                user.id(), user.username(), "")); // behind the poison on the same partition
        KafkaTestSupport.awaitConsumed(GROUP, Topics.USER_EVENTS);

        assertEquals(failures + 1, consumed("UserRegistered", "failed"),
                "one attempt: the record's own failure is not retried (only an outage is)");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(1,
                events.on(Topics.deadLetter(Topics.USER_EVENTS), e -> Long.toString(user.id()).equals(e.key())).size()));
        TopicProbe.Event dead = events.on(Topics.deadLetter(Topics.USER_EVENTS),
                e -> Long.toString(user.id()).equals(e.key())).get(0);
        assertEquals("{not json", dead.value(), "the raw record");
        assertEquals("UserRegistered", dead.type());
        assertEquals(CONSUMER, dead.headers().get("chirp-dlt-consumer"));
        assertTrue(dead.headers().containsKey("chirp-event-id"));
        assertEquals(200, get("/api/v1/users/" + user.id() + "/tweets").status(), "the next record was handled");
    }

    private void publish(long key, Object event) throws Exception {
        UUID eventId = (UUID) event.getClass().getMethod("eventId").invoke(event);
        KafkaTestSupport.publish(Topics.USER_EVENTS, key, event.getClass().getSimpleName(), eventId,
                json.writeValueAsString(event));
    }

    private double consumed(String type, String outcome) {
        Counter counter = meters.find("tweet.events.consumed")
                .tags("consumer", CONSUMER, "type", type, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private int acknowledgementsInOutbox(long userId, UUID deletionId) throws Exception {
        try (Connection c = shards.forId(userId).getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM outbox WHERE event_type = 'AccountDeletionStepDone'"
                        + " AND payload ->> 'deletionId' = ?")) {
            s.setString(1, deletionId.toString());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
