package io.chirp.like.events;

import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.messaging.annotation.MessageBody;
import io.micronaut.messaging.annotation.MessageHeader;

/** Blocking sends (each waits for {@code acks=all}): the saga moves on only once Kafka has the message. */
@KafkaClient(id = "like-service", acks = KafkaClient.Acknowledge.ALL)
interface LikeKafkaClient {

    void send(@Topic String topic, @KafkaKey String key, @MessageHeader("chirp-event-type") String type,
              @MessageBody Object event);
}
