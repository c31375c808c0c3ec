package io.chirp.user.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.Topics;
import io.chirp.platform.messaging.KafkaTracing;
import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.user.domain.AccountDeletionService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import io.micronaut.json.JsonMapper;
import io.opentelemetry.api.trace.Tracer;

/**
 * Consumes {@link Topics#ACCOUNT_DELETION_REPLIES}: each participant's
 * {@link AccountDeletionStepDone} is recorded once (a redelivery changes nothing) and the
 * deletion is finished after the last one. Other event types are ignored.
 * <p>
 * Failures: the record is tried {@value #ATTEMPTS} times in all ({@code RETRY_ON_ERROR},
 * consumption of its partition paused meanwhile), then sent to
 * {@code chirp.account-deletion.replies.dlt} and consumption moves on. An acknowledgement that
 * was recorded before the failure (e.g. a shard down while removing edges) is finished by the
 * recovery sweep.
 */
@KafkaListener(groupId = "user-service", offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryCount = AccountDeletionRepliesListener.ATTEMPTS - 1, retryDelay = "500ms"))
class AccountDeletionRepliesListener implements KafkaListenerExceptionHandler {

    /** The first delivery and two retries. */
    static final int ATTEMPTS = 3;
    static final String NAME = "user-service.account-deletion-replies";

    private static final Logger LOG = LoggerFactory.getLogger(AccountDeletionRepliesListener.class);

    private final AccountDeletionService deletions;
    private final JsonMapper json;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Tracer tracer;

    AccountDeletionRepliesListener(AccountDeletionService deletions, JsonMapper json, DeadLetters deadLetters,
                                   MeterRegistry meters, Tracer tracer) {
        this.deletions = deletions;
        this.json = json;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.tracer = tracer;
    }

    @Topic(Topics.ACCOUNT_DELETION_REPLIES)
    void receive(ConsumerRecord<String, String> record) throws IOException {
        KafkaTracing.process(tracer, record, NAME, () -> process(record));
    }

    private void process(ConsumerRecord<String, String> record) throws IOException {
        String type = header(record, OutboxRelay.EVENT_TYPE_HEADER);
        try {
            count(type, handle(type, record.value()));
        } catch (IOException | RuntimeException e) {
            count(type, "failed");
            LOG.warn("{}: {} at {}-{}@{} failed: {}", NAME, type, record.topic(), record.partition(), record.offset(),
                    e.toString());
            throw e;
        }
    }

    /** @return the outcome: processed, duplicate (a redelivery, no effect), unknown or ignored */
    private String handle(String type, String payload) throws IOException {
        switch (type) {
            case "AccountDeletionStepDone" -> {
                return switch (deletions.onStepDone(json.readValue(payload, AccountDeletionStepDone.class))) {
                    case RECORDED -> "processed";
                    case DUPLICATE -> "duplicate";
                    case UNKNOWN -> "unknown";
                };
            }
            case "" -> throw new IllegalArgumentException("no " + OutboxRelay.EVENT_TYPE_HEADER + " header");
            default -> {
                return "ignored";
            }
        }
    }

    private void count(String type, String outcome) {
        meters.counter("user.events.consumed", "consumer", NAME, "type", type, "outcome", outcome).increment();
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void handle(KafkaListenerException exception) {
        deadLetters.handle(NAME, exception);
    }
}
