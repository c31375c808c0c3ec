package io.chirp.timeline.events;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.Topics;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.messaging.annotation.MessageHeader;

/**
 * Acknowledgements of the account-deletion saga. Sent after the feed store changed; a lost
 * acknowledgement is re-sent on redelivery of the request (the step is idempotent).
 */
@KafkaClient(id = "timeline-deletion-replies", acks = KafkaClient.Acknowledge.ALL)
interface DeletionReplies {

    @Topic(Topics.ACCOUNT_DELETION_REPLIES)
    @MessageHeader(name = "chirp-event-type", value = "AccountDeletionStepDone")
    void send(@KafkaKey String userId, AccountDeletionStepDone reply);
}
