package io.chirp.like.domain;

import io.chirp.platform.events.LikeCompensated;
import io.chirp.platform.events.LikeSagaCommand;
import io.chirp.platform.events.TweetLiked;
import io.chirp.platform.events.TweetUnliked;

/** What the like saga sends: commands to tweet-service, and like events for everyone. */
public interface LikeSagaMessages {

    /** Sends the command and waits for Kafka's acknowledgement. */
    void send(LikeSagaCommand command);

    void publish(TweetLiked event);

    void publish(TweetUnliked event);

    void publish(LikeCompensated event);
}
