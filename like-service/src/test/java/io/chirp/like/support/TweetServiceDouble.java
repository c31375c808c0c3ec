package io.chirp.like.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.chirp.platform.events.LikeSagaCommand;
import io.chirp.platform.events.LikeSagaReply;
import io.chirp.platform.events.Topics;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.TestTokens;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

/**
 * tweet-service's side of the like saga, as this module's tests need it: the same HTTP
 * contract (tweet exists? user exists? batch read) and the same Kafka contract (consume
 * {@link LikeSagaCommand}, apply each saga once to the tweet's likeCount, answer with a
 * {@link LikeSagaReply}). The real tweet-service and the whole path run end to end through
 * the local cluster.
 */
@Controller
@Requires(env = "test")
@Secured(SecurityRule.IS_ANONYMOUS)
public class TweetServiceDouble {

    public static final Set<Long> TWEETS = ConcurrentHashMap.newKeySet();
    public static final Set<Long> USERS = ConcurrentHashMap.newKeySet();
    public static final Map<Long, AtomicLong> LIKE_COUNTS = new ConcurrentHashMap<>();
    /** Tweets deleted just before their next saga command is handled (a deletion racing the saga). */
    public static final Set<Long> DELETE_BEFORE_NEXT_COMMAND = ConcurrentHashMap.newKeySet();
    private static final Set<UUID> APPLIED = ConcurrentHashMap.newKeySet();

    private static volatile boolean running;

    @Get("/test-jwks")
    Map<String, Object> jwks() {
        return TestTokens.jwks();
    }

    @Get("/api/v1/tweets/{id}")
    HttpResponse<Map<String, Object>> tweet(@PathVariable long id) {
        return TWEETS.contains(id) ? HttpResponse.ok(tweetJson(id)) : HttpResponse.notFound();
    }

    @Get("/api/v1/users/{id}")
    HttpResponse<Map<String, Object>> user(@PathVariable long id) {
        return USERS.contains(id) ? HttpResponse.ok(Map.of("id", Long.toString(id))) : HttpResponse.notFound();
    }

    @Serdeable
    record Ids(List<String> ids) {
    }

    @Serdeable
    record Items(List<Map<String, Object>> items) {
    }

    @Post("/internal/tweets/batch")
    Items batch(@Body Ids ids) {
        return new Items(ids.ids().stream().map(Long::parseLong).filter(TWEETS::contains)
                .map(TweetServiceDouble::tweetJson).toList());
    }

    private static Map<String, Object> tweetJson(long id) {
        return Map.of("id", Long.toString(id), "likeCount", LIKE_COUNTS.getOrDefault(id, new AtomicLong()).get());
    }

    /** Starts answering like saga commands (once per test JVM). */
    public static synchronized void start(JsonMapper json) {
        if (running) {
            return;
        }
        running = true;
        Thread thread = new Thread(() -> answer(json), "tweet-service-double");
        thread.setDaemon(true);
        thread.start();
    }

    private static void answer(JsonMapper json) {
        String bootstrap = SharedEngines.get().kafkaBootstrap();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "tweet-service-double",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            consumer.subscribe(Set.of(Topics.LIKE_SAGA_COMMANDS));
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    LikeSagaCommand command = json.readValue(record.value(), LikeSagaCommand.class);
                    if (DELETE_BEFORE_NEXT_COMMAND.remove(command.tweetId())) {
                        TWEETS.remove(command.tweetId());
                    }
                    boolean exists = TWEETS.contains(command.tweetId());
                    if (exists && APPLIED.add(command.sagaId())) {
                        LIKE_COUNTS.computeIfAbsent(command.tweetId(), k -> new AtomicLong()).addAndGet(command.delta());
                    }
                    LikeSagaReply reply = new LikeSagaReply(UUID.randomUUID(), Instant.now(), 1, command.sagaId(),
                            command.tweetId(), command.userId(), command.delta(), exists);
                    ProducerRecord<String, String> out = new ProducerRecord<>(Topics.LIKE_SAGA_REPLIES,
                            Long.toString(command.tweetId()), json.writeValueAsString(reply));
                    out.headers().add("chirp-event-type", "LikeSagaReply".getBytes(StandardCharsets.UTF_8));
                    producer.send(out);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
