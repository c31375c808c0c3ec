package io.chirp.search;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.web.ApiTimestamps;
import io.chirp.search.support.ChirpEvents;
import io.chirp.search.support.SearchApi;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/** User search by prefix, profile updates, and the account-deletion saga step, on real engines. */
@RealEngines({Engine.ELASTICSEARCH, Engine.KAFKA})
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserSearchIT {

    private static final Duration VISIBLE = Duration.ofSeconds(20);

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

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

    @Test
    void aUserIsFoundByAPrefixOfTheirUsernameOrDisplayNameAccentsAndCaseIgnored() {
        ChirpEvents.User jose = events.register("jg" + run, "José García " + run);
        ChirpEvents.User joseph = events.register("js" + run, "Joseph Stone " + run);
        ChirpEvents.User zoe = events.register("zo" + run, "Zoë Ångström");
        String id = Long.toString(jose.id());
        await().atMost(VISIBLE).until(() -> api.userIds("zoe ang").contains(Long.toString(zoe.id())));

        assertTrue(api.userIds("jose").contains(id), "jose finds José");
        assertTrue(api.userIds("JOSÉ").contains(id));
        assertTrue(api.userIds("jos").containsAll(List.of(id, Long.toString(joseph.id()))), "a prefix finds both");
        assertTrue(api.userIds("garc").contains(id), "a prefix of the second word");
        assertEquals(List.of(id), api.userIds("jose garc " + run), "every word must be a prefix");
        assertEquals(List.of(id), api.userIds("jg" + run.substring(0, 3)), "a prefix of the username");
        assertEquals(id, api.userIds("JG" + run).get(0), "the exact username first");
        assertEquals(List.of(Long.toString(zoe.id())), api.userIds("ZOE ÅNG"));
        assertEquals(List.of(), api.userIds("josex" + run));
        assertEquals(List.of(), api.userIds("***"));

        Map<String, Object> user = api.users("jg" + run, 1).items().get(0);
        assertEquals(Map.of("id", id, "username", "jg" + run, "displayName", "José García " + run, "bio", "",
                "followersCount", 0, "followingCount", 0, "tweetCount", 0,
                "createdAt", ApiTimestamps.format(ChirpId.timestamp(jose.id()))), user);
        assertEquals(1, api.users("jos", 1).items().size(), "limit");
    }

    @Test
    void aProfileUpdateReplacesTheNameSearchedBy() {
        ChirpEvents.User user = events.register("up" + run, "Original Name" + run);
        String id = Long.toString(user.id());
        await().atMost(VISIBLE).until(() -> api.userIds("original").contains(id));
        events.update(user, "Renamed Person" + run, "likes search");
        await().atMost(VISIBLE).until(() -> api.userIds("renamed person" + run).contains(id));
        assertFalse(api.userIds("original name" + run).contains(id));
        assertEquals("likes search", api.users("renamed person" + run, 1).items().get(0).get("bio"));
    }

    @Test
    void accountDeletionRemovesTheUserAndTheirTweetsAndAcknowledgesTheSagaStep() throws Exception {
        ChirpEvents.User user = events.register("er" + run, "Erased " + run);
        ChirpEvents.User other = events.register("ot" + run, "Other " + run);
        List<TweetCreated> theirs = List.of(events.tweet(user, "farewell" + run + " one"),
                events.tweet(user, "farewell" + run + " two"), events.tweet(user, "farewell" + run + " three"));
        TweetCreated kept = events.tweet(other, "farewell" + run + " from someone else @" + user.username());
        theirs.forEach(events::post);
        events.post(kept);
        await().atMost(VISIBLE).until(() -> api.tweetIds("farewell" + run).size() == 4
                && api.userIds("erased " + run).contains(Long.toString(user.id())));

        UUID deletionId = events.requestDeletion(user);
        await().atMost(VISIBLE).until(() -> api.tweetIds("farewell" + run).equals(List.of(Long.toString(kept.tweetId())))
                && api.userIds("erased " + run).isEmpty());
        assertEquals(List.of(Long.toString(kept.tweetId())), api.tweetIds("@" + user.username()),
                "a tweet mentioning the erased user is someone else's and stays");

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedEngines.get().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "ack-probe-" + run), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACCOUNT_DELETION_REPLIES).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            AccountDeletionStepDone[] ack = new AccountDeletionStepDone[1];
            await().atMost(VISIBLE).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    AccountDeletionStepDone reply = json.readValue(r.value(), AccountDeletionStepDone.class);
                    if (deletionId.equals(reply.deletionId())) {
                        assertEquals("AccountDeletionStepDone", new String(r.headers().lastHeader("chirp-event-type").value()));
                        assertEquals(Long.toString(user.id()), r.key());
                        ack[0] = reply;
                    }
                }
                return ack[0] != null;
            });
            assertEquals("search-service", ack[0].participant());
            assertEquals(user.id(), ack[0].userId());
        }

        // a TweetCreated of the erased user read late (another topic, another partition) stays out
        TweetCreated late = events.tweet(user, "farewell" + run + " too late");
        RecordMetadata lateAt = events.post(late);
        TweetCreated marker = events.tweet(other, "usermarker" + run);
        events.postTo(lateAt.partition(), marker);
        await().atMost(VISIBLE).until(() -> api.tweetIds("usermarker" + run).size() == 1);
        assertEquals(List.of(Long.toString(kept.tweetId())), api.tweetIds("farewell" + run));
    }
}
