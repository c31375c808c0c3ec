package io.chirp.search.events;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.Topics;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.messaging.annotation.MessageHeader;

/**
 * Acknowledgements of the account-deletion saga, sent once the user's search documents are
 * gone. A lost acknowledgement is sent again on redelivery of the request (the step is idempotent).
 */
@KafkaClient(id = "search-deletion-replies", acks = KafkaClient.Acknowledge.ALL)
interface DeletionReplies {

    @Topic(Topics.ACCOUNT_DELETION_REPLIES)
    @MessageHeader(name = EventDecoder.TYPE_HEADER, value = "AccountDeletionStepDone")
    void send(@KafkaKey String userId, AccountDeletionStepDone reply);
}
