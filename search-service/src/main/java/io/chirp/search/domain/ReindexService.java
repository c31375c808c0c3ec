package io.chirp.search.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.search.config.SearchProperties;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Rebuilds both indices from the event log into a new generation, then swaps the aliases, while
 * search keeps answering from the old generation.
 * <ol>
 *   <li>create the next generation's empty indices;</li>
 *   <li>replay the log from its start to its end as of now into them;</li>
 *   <li>refresh them, then move both aliases to them in one atomic update;</li>
 *   <li>replay again from there to the new end: live consumers (on any instance) wrote the events
 *       between the first end and the swap into the old generation only;</li>
 *   <li>drop the old generation.</li>
 * </ol>
 * Replaying any event twice, or in another order across partitions, is harmless: every write is
 * versioned by event time, deletions are tombstones, and a tweet of an erased author is never
 * written (see {@link Indexer}). The log holds what Kafka's retention still holds: see the
 * service's README for that limit and for the full resync that needs the systems of record.
 */
@Singleton
public class ReindexService {

    private static final Logger LOG = LoggerFactory.getLogger(ReindexService.class);

    private final IndexGenerations generations;
    private final EventLog log;
    private final Indexer indexer;
    private final Clock clock;
    private final SearchProperties properties;
    private final AtomicReference<ReindexStatus> status = new AtomicReference<>(ReindexStatus.never());
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "search-reindex");
        thread.setDaemon(true);
        return thread;
    });

    public ReindexService(IndexGenerations generations, EventLog log, Indexer indexer, Clock clock,
                          SearchProperties properties) {
        this.generations = generations;
        this.log = log;
        this.indexer = indexer;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * Starts a reindex in the background.
     *
     * @throws ReindexRunningException when one is already running here
     */
    public ReindexStatus start() {
        ReindexStatus current = status.get();
        ReindexStatus started = new ReindexStatus(ReindexStatus.State.RUNNING, clock.instant(), null, null, null, 0, null);
        if (current.state() == ReindexStatus.State.RUNNING || !status.compareAndSet(current, started)) {
            throw new ReindexRunningException();
        }
        runner.execute(() -> run(started));
        return started;
    }

    public ReindexStatus status() {
        return status.get();
    }

    private void run(ReindexStatus started) {
        AtomicLong events = new AtomicLong();
        IndexTarget target = null;
        boolean promoted = false;
        try {
            target = generations.createNext();
            IndexTarget into = target;
            status.set(running(started, into, 0));
            LOG.info("reindex into {} and {} started", into.tweets(), into.users());
            try (EventLog.Replay replay = log.replayFromStart()) {
                AtomicLong progress = new AtomicLong();
                events.set(replay.toEnd(batch -> {
                    applyWithRetries(batch, into);
                    status.set(running(started, into, progress.addAndGet(batch.size())));
                }));
                List<String> old = generations.promote(into);
                promoted = true;
                events.addAndGet(replay.toEnd(batch -> applyWithRetries(batch, into)));
                generations.drop(old);
                LOG.info("reindex into {} and {} done; dropped {}", into.tweets(), into.users(), old);
            }
            status.set(new ReindexStatus(ReindexStatus.State.DONE, started.startedAt(), clock.instant(),
                    into.tweets(), into.users(), events.get(), null));
        } catch (RuntimeException e) {
            LOG.error("reindex failed", e);
            if (target != null && !promoted) {
                generations.drop(List.of(target.tweets(), target.users()));
            }
            status.set(new ReindexStatus(ReindexStatus.State.FAILED, started.startedAt(), clock.instant(),
                    target == null ? null : target.tweets(), target == null ? null : target.users(), events.get(),
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void applyWithRetries(List<IndexChange> batch, IndexTarget target) {
        Duration delay = properties.retryDelay();
        for (int attempt = 1; ; attempt++) {
            try {
                Indexer.BatchResult result = indexer.apply(batch, target);
                if (!result.rejected().isEmpty()) {
                    LOG.warn("reindex: {} change(s) refused by the index, as when first consumed", result.rejected().size());
                }
                return;
            } catch (SearchUnavailableException e) {
                if (attempt > properties.retries()) {
                    throw e;
                }
                LOG.warn("reindex: batch failed (attempt {}), retrying in {}", attempt, delay);
                sleep(delay);
                delay = delay.multipliedBy(2);
            }
        }
    }

    private static ReindexStatus running(ReindexStatus started, IndexTarget target, long events) {
        return new ReindexStatus(ReindexStatus.State.RUNNING, started.startedAt(), null, target.tweets(),
                target.users(), events, null);
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }
}
