package io.chirp.like.events;

import io.chirp.like.domain.LikeSagaMessages;
import io.chirp.platform.events.LikeCompensated;
import io.chirp.platform.events.LikeSagaCommand;
import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetLiked;
import io.chirp.platform.events.TweetUnliked;
import jakarta.inject.Singleton;

/** {@link LikeSagaMessages} on Kafka, keyed by tweet id, waiting for every acknowledgement. */
@Singleton
class KafkaLikeSagaMessages implements LikeSagaMessages {

    private final LikeKafkaClient kafka;

    KafkaLikeSagaMessages(LikeKafkaClient kafka) {
        this.kafka = kafka;
    }

    @Override
    public void send(LikeSagaCommand command) {
        kafka.send(Topics.LIKE_SAGA_COMMANDS, Long.toString(command.tweetId()), "LikeSagaCommand", command);
    }

    @Override
    public void publish(TweetLiked event) {
        kafka.send(Topics.LIKE_EVENTS, Long.toString(event.tweetId()), "TweetLiked", event);
    }

    @Override
    public void publish(TweetUnliked event) {
        kafka.send(Topics.LIKE_EVENTS, Long.toString(event.tweetId()), "TweetUnliked", event);
    }

    @Override
    public void publish(LikeCompensated event) {
        kafka.send(Topics.LIKE_EVENTS, Long.toString(event.tweetId()), "LikeCompensated", event);
    }
}
