package io.chirp.tweet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chirp.platform.events.LikeSagaCommand;
import io.chirp.platform.events.Topics;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/** tweet-service's step of the like saga: confirm and count once per saga, always answer. */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
@MicronautTest
class LikeSagaIT extends ApiTestSupport {

    @Inject
    JsonMapper json;

    TopicProbe replies;

    @BeforeAll
    void startProbe() {
        replies = new TopicProbe(Topics.LIKE_SAGA_REPLIES);
    }

    @AfterAll
    void stopProbe() throws InterruptedException {
        replies.close();
    }

    @Test
    void aLikeIsCountedOncePerSagaAndEveryCommandIsAnswered() throws Exception {
        TestUser author = newUser("lk_");
        long tweetId = Long.parseLong(post(author, "like me").path("id").asText());
        UUID like = UUID.randomUUID();
        command(like, tweetId, 11, +1);
        awaitReplies(like, 1);
        assertEquals(1, tweet(Long.toString(tweetId)).path("likeCount").asInt());

        command(like, tweetId, 11, +1); // redelivered
        awaitReplies(like, 2);
        assertTrue(replies(like).stream().allMatch(r -> r.json().path("confirmed").asBoolean()));
        assertEquals(1, tweet(Long.toString(tweetId)).path("likeCount").asInt(), "counted once");
        assertEquals(Long.toString(tweetId), replies(like).get(0).key());

        UUID unlike = UUID.randomUUID();
        command(unlike, tweetId, 11, -1);
        awaitReplies(unlike, 1);
        assertEquals(0, tweet(Long.toString(tweetId)).path("likeCount").asInt());
    }

    @Test
    void aLikeOfAMissingOrDeletedTweetIsRefused() throws Exception {
        TestUser author = newUser("lx_");
        String deleted = post(author, "gone soon").path("id").asText();
        assertEquals(204, delete(author, deleted).status());
        UUID ofDeleted = UUID.randomUUID();
        UUID ofMissing = UUID.randomUUID();
        command(ofDeleted, Long.parseLong(deleted), 12, +1);
        command(ofMissing, 987654321L, 12, +1);
        awaitReplies(ofDeleted, 1);
        awaitReplies(ofMissing, 1);
        assertEquals(false, replies(ofDeleted).get(0).json().path("confirmed").asBoolean(true));
        assertEquals(false, replies(ofMissing).get(0).json().path("confirmed").asBoolean(true));
        assertEquals(12, replies(ofMissing).get(0).json().path("userId").asLong());
        assertEquals(1, replies(ofMissing).get(0).json().path("delta").asInt());
    }

    private void command(UUID sagaId, long tweetId, long userId, int delta) throws Exception {
        LikeSagaCommand command = new LikeSagaCommand(UUID.randomUUID(), Instant.now(), LikeSagaCommand.SCHEMA_VERSION,
                sagaId, tweetId, userId, delta);
        KafkaTestSupport.publish(Topics.LIKE_SAGA_COMMANDS, tweetId, "LikeSagaCommand", command.eventId(),
                json.writeValueAsString(command));
    }

    private List<TopicProbe.Event> replies(UUID sagaId) {
        return replies.matching("LikeSagaReply", j -> j.path("sagaId").asText().equals(sagaId.toString()));
    }

    private void awaitReplies(UUID sagaId, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(count, replies(sagaId).size(), replies.summary()));
    }
}
