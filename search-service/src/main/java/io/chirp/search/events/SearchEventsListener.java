package io.chirp.search.events;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.Topics;
import io.chirp.platform.messaging.DependencyDownException;
import io.chirp.platform.messaging.KafkaTracing;
import io.chirp.search.domain.IndexChange;
import io.chirp.search.domain.Indexer;
import io.chirp.search.domain.SearchUnavailableException;
import io.chirp.search.store.IndexAdmin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * Keeps the tweets and users indices in step with the tweet and user topics, in batches: one
 * poll is one bulk request. A batch is flushed when {@value #BATCH_SIZE} records are there
 * ({@code max.poll.records}; the broker answers a fetch once {@value #BATCH_BYTES} bytes are
 * ready) or {@value #LINGER_MS} ms after the fetch was sent ({@code fetch.max.wait.ms}),
 * whichever comes first: the batching is Kafka's own, and nothing is acknowledged before the
 * bulk request that holds it succeeded (offsets are committed after the batch returns).
 * <p>
 * Failures: a record that can never be indexed (undecodable, or refused by the mapping) is
 * dead-lettered at once; a batch the engine failed (down, or refusing writes for now) is applied
 * again whole (every write is idempotent and order-safe, see {@link IndexChange}) every
 * {@value DependencyDownException#RETRY_DELAY} until the engine is back
 * ({@link DependencyDownException}), so an outage delays search but loses nothing; only after
 * about an hour does {@link DeadLetters} take the batch. UserDeletionRequested is acknowledged on
 * {@link Topics#ACCOUNT_DELETION_REPLIES} once the user's documents are gone.
 * <p>
 * Tracing: each record of a batch gets its own consumer span, continuing the trace of its
 * {@code traceparent} header, ended when the batch is done; the line logged for an indexed
 * tweet is written in its record's span, so it carries that trace's id.
 */
@KafkaListener(groupId = "search-service", offsetReset = OffsetReset.EARLIEST, batch = true,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryCount = DependencyDownException.RETRIES, retryDelay = DependencyDownException.RETRY_DELAY,
                exceptionTypes = DependencyDownException.class),
        properties = {
            @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "" + SearchEventsListener.BATCH_SIZE),
            @Property(name = ConsumerConfig.FETCH_MIN_BYTES_CONFIG, value = "" + SearchEventsListener.BATCH_BYTES),
            @Property(name = ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, value = "" + SearchEventsListener.LINGER_MS)
        })
class SearchEventsListener {

    static final int BATCH_SIZE = 500;
    static final int BATCH_BYTES = 128 * 1024;
    static final int LINGER_MS = 200;

    private static final String PARTICIPANT = "search-service";
    private static final Logger LOG = LoggerFactory.getLogger(SearchEventsListener.class);

    private final EventDecoder decoder;
    private final Indexer indexer;
    private final IndexAdmin indices;
    private final DeadLetters deadLetters;
    private final DeletionReplies replies;
    private final Clock clock;
    private final DistributionSummary batchSizes;
    private final Counter indexed;
    private final Counter failedBatches;
    private final Tracer tracer;

    SearchEventsListener(EventDecoder decoder, Indexer indexer, IndexAdmin indices, DeadLetters deadLetters,
                         DeletionReplies replies, Clock clock, MeterRegistry metrics, Tracer tracer) {
        this.decoder = decoder;
        this.indexer = indexer;
        this.indices = indices;
        this.deadLetters = deadLetters;
        this.replies = replies;
        this.clock = clock;
        this.batchSizes = DistributionSummary.builder("chirp.search.batch.size")
                .description("events per bulk request").register(metrics);
        this.indexed = Counter.builder("chirp.search.indexed")
                .description("search documents written from events").register(metrics);
        this.failedBatches = Counter.builder("chirp.search.batch.failures")
                .description("batches the engine failed, each applied again after a backoff").register(metrics);
        this.tracer = tracer;
    }

    @Topic({Topics.TWEET_EVENTS, Topics.USER_EVENTS})
    void receive(List<ConsumerRecord<String, String>> records) {
        List<Span> spans = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            spans.add(KafkaTracing.startProcessSpan(tracer, record, PARTICIPANT));
        }
        try {
            receive(records, spans);
        } catch (RuntimeException | Error e) {
            for (Span span : spans) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR);
            }
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    private void receive(List<ConsumerRecord<String, String>> records, List<Span> spans) {
        List<IndexChange> changes = new ArrayList<>();
        List<ConsumerRecord<String, String>> sources = new ArrayList<>();
        List<Span> sourceSpans = new ArrayList<>();
        List<ConsumerRecord<String, String>> undecodable = new ArrayList<>();
        List<RuntimeException> reasons = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, String> record = records.get(i);
            Span span = spans.get(i);
            try {
                decoder.decode(record).ifPresent(change -> {
                    changes.add(change);
                    sources.add(record);
                    sourceSpans.add(span);
                });
            } catch (EventDecoder.Undecodable e) {
                undecodable.add(record);
                reasons.add(e);
            }
        }
        if (!changes.isEmpty()) {
            batchSizes.record(changes.size());
            Indexer.BatchResult result;
            try {
                result = indexer.apply(changes, indices.live());
            } catch (RuntimeException e) {
                failedBatches.increment();
                LOG.warn("a batch of {} event(s) failed; it is applied again after a backoff: {}", changes.size(),
                        e.toString());
                throw DependencyDownException.classify(e, "Elasticsearch",
                        cause -> cause instanceof SearchUnavailableException || cause instanceof java.io.IOException);
            }
            indexed.increment(result.applied());
            for (int position = 0; position < changes.size(); position++) {
                if (changes.get(position) instanceof IndexChange.TweetUpsert upsert
                        && !result.rejected().contains(position)) {
                    try (Scope ignored = sourceSpans.get(position).makeCurrent()) {
                        LOG.info("indexed tweet {}", upsert.tweet().id());
                    }
                }
            }
            for (int position : result.rejected()) {
                deadLetters.send(sources.get(position), new IllegalArgumentException("refused by the index"));
            }
            for (IndexChange.UserErasure erasure : result.erasures()) {
                replies.send(Long.toString(erasure.userId()), new AccountDeletionStepDone(UUID.randomUUID(),
                        clock.instant(), AccountDeletionStepDone.SCHEMA_VERSION, erasure.deletionId(),
                        erasure.userId(), PARTICIPANT));
            }
        }
        for (int i = 0; i < undecodable.size(); i++) {
            deadLetters.send(undecodable.get(i), reasons.get(i));
        }
    }
}
