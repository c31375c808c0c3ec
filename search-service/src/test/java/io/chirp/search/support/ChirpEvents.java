package io.chirp.search.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserRegistered;
import io.chirp.platform.events.UserUpdated;
import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.sharding.IdGenerator;
import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.testing.SharedEngines;
import io.micronaut.json.JsonMapper;

/**
 * Publishes events as tweet-service and user-service do: JSON from Micronaut's JsonMapper,
 * key the aggregate id, header {@code chirp-event-type} = the record's simple name, ids from
 * {@link IdGenerator} on the author's logical shard, hashtags and mentions extracted with
 * tweet-service's rules.
 */
public final class ChirpEvents implements AutoCloseable {

    private static final Pattern HASHTAG =
            Pattern.compile("(?<![\\p{L}\\p{N}_&#])#([\\p{L}\\p{N}_]*\\p{L}[\\p{L}\\p{N}_]*)");
    private static final Pattern MENTION =
            Pattern.compile("(?<![\\p{L}\\p{N}_@])@([A-Za-z0-9_]{1,15})(?![\\p{L}\\p{N}_@])");

    private final KafkaProducer<String, String> producer;
    private final JsonMapper json;
    private final IdGenerator ids = new IdGenerator();

    public ChirpEvents(JsonMapper json) {
        this.json = json;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedEngines.get().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    /** A user as the tests know them. */
    public record User(long id, String username) {
    }

    public User register(String username, String displayName) {
        long id = ids.next(LogicalShards.forUser());
        publish(Topics.USER_EVENTS, id, new UserRegistered(UUID.randomUUID(), Instant.now(),
                UserRegistered.SCHEMA_VERSION, id, username, displayName));
        return new User(id, username);
    }

    public void update(User user, String displayName, String bio) {
        publish(Topics.USER_EVENTS, user.id(), new UserUpdated(UUID.randomUUID(), Instant.now(),
                UserUpdated.SCHEMA_VERSION, user.id(), user.username(), displayName, bio));
    }

    public UUID requestDeletion(User user) {
        UUID deletionId = UUID.randomUUID();
        publish(Topics.USER_EVENTS, user.id(), new UserDeletionRequested(UUID.randomUUID(), Instant.now(),
                UserDeletionRequested.SCHEMA_VERSION, user.id(), deletionId));
        return deletionId;
    }

    /** The TweetCreated tweet-service would publish for {@code text}, created now. */
    public TweetCreated tweet(User author, String text) {
        long id = ids.next(ChirpId.logicalShard(author.id()));
        return tweet(author, text, id, ChirpId.timestamp(id));
    }

    /** The same, created at {@code createdAt} (an id of that time). */
    public TweetCreated tweetAt(User author, String text, Instant createdAt) {
        long id = ChirpId.compose(createdAt, ChirpId.logicalShard(author.id()), (int) (Math.random() * ChirpId.MAX_SEQUENCE));
        return tweet(author, text, id, createdAt);
    }

    private static TweetCreated tweet(User author, String text, long id, Instant createdAt) {
        Map<String, String> tags = new LinkedHashMap<>();
        Matcher h = HASHTAG.matcher(text);
        while (h.find()) {
            tags.putIfAbsent(h.group(1).toLowerCase(Locale.ROOT), h.group(1).toLowerCase(Locale.ROOT));
        }
        Map<String, String> mentions = new LinkedHashMap<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            mentions.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), m.group(1));
        }
        return new TweetCreated(UUID.randomUUID(), Instant.now(), TweetCreated.SCHEMA_VERSION, id, author.id(),
                author.username(), text, new ArrayList<>(tags.values()), new ArrayList<>(mentions.values()), null, null,
                createdAt);
    }

    /** Publishes a tweet and waits for the broker; returns where it went. */
    public RecordMetadata post(TweetCreated tweet) {
        return publish(Topics.TWEET_EVENTS, tweet.tweetId(), tweet);
    }

    /** Publishes a tweet without waiting. */
    public Future<RecordMetadata> postAsync(TweetCreated tweet) {
        return producer.send(record(Topics.TWEET_EVENTS, null, tweet.tweetId(), tweet));
    }

    /** Publishes a tweet to a given partition (to order it after another record). */
    public RecordMetadata postTo(int partition, TweetCreated tweet) {
        return send(record(Topics.TWEET_EVENTS, partition, tweet.tweetId(), tweet));
    }

    public RecordMetadata delete(TweetCreated tweet) {
        return publish(Topics.TWEET_EVENTS, tweet.tweetId(), new TweetDeleted(UUID.randomUUID(), Instant.now(),
                TweetDeleted.SCHEMA_VERSION, tweet.tweetId(), tweet.authorId()));
    }

    /** A record whose value is not the JSON of the type its header names. */
    public RecordMetadata publishRaw(String topic, long key, String type, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, Long.toString(key), value);
        record.headers().add("chirp-event-type", type.getBytes(StandardCharsets.UTF_8));
        return send(record);
    }

    public RecordMetadata publish(String topic, long key, Object event) {
        return send(record(topic, null, key, event));
    }

    public void flush() {
        producer.flush();
    }

    private ProducerRecord<String, String> record(String topic, Integer partition, long key, Object event) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, Long.toString(key),
                    json.writeValueAsString(event));
            record.headers().add("chirp-event-type", event.getClass().getSimpleName().getBytes(StandardCharsets.UTF_8));
            return record;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private RecordMetadata send(ProducerRecord<String, String> record) {
        try {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("publishing to " + record.topic() + " failed", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
