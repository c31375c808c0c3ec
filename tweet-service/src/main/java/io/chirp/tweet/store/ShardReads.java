package io.chirp.tweet.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;

import javax.sql.DataSource;

import io.chirp.platform.sharding.ShardedDataSources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Runs reads that span physical shards in parallel, one task per shard, and counts every read
 * query per shard in {@value #QUERIES} (Prometheus {@code tweet_shard_queries_total{query,shard}}):
 * the evidence that a batch costs one query per shard and a timeline page one query in all.
 */
@Singleton
class ShardReads {

    static final String QUERIES = "tweet.shard.queries";

    private final ShardedDataSources shards;
    private final ExecutorService executor;
    private final MeterRegistry meters;

    ShardReads(ShardedDataSources shards, @Named(TaskExecutors.IO) ExecutorService executor, MeterRegistry meters) {
        this.shards = shards;
        this.executor = executor;
        this.meters = meters;
    }

    /** Counts one query named {@code query} on {@code physical}. */
    void count(String query, String physical) {
        Counter.builder(QUERIES).description("Read queries sent to a physical shard, by query")
                .tag("query", query).tag("shard", physical).register(meters).increment();
    }

    /**
     * {@code work(physicalName, dataSource)} on every given shard at once; the results by shard
     * name. The first failure is rethrown as it was thrown (e.g. ShardUnavailableException).
     */
    <K, T> Map<String, T> onEach(Map<String, K> byShard, Work<K, T> work) {
        return onEach(byShard, false, work);
    }

    /**
     * As {@link #onEach(Map, Work)} for reads that tolerate staleness: each shard's replica
     * while it is in rotation and the caller has not just written
     * ({@link ShardedDataSources#forReadOn}, decided here, on the caller's thread).
     */
    <K, T> Map<String, T> onEachAllowingStale(Map<String, K> byShard, Work<K, T> work) {
        return onEach(byShard, true, work);
    }

    private <K, T> Map<String, T> onEach(Map<String, K> byShard, boolean allowingStale, Work<K, T> work) {
        Map<String, CompletableFuture<T>> running = new LinkedHashMap<>();
        byShard.forEach((physical, input) -> {
            DataSource db = allowingStale ? shards.forReadOn(physical) : shards.all().get(physical);
            running.put(physical, byShard.size() == 1
                    ? CompletableFuture.completedFuture(work.apply(physical, db, input))
                    : CompletableFuture.supplyAsync(() -> work.apply(physical, db, input), executor));
        });
        Map<String, T> results = new LinkedHashMap<>();
        List<RuntimeException> failures = new ArrayList<>();
        running.forEach((physical, future) -> {
            try {
                results.put(physical, future.join());
            } catch (CompletionException e) {
                failures.add(e.getCause() instanceof RuntimeException r ? r : e);
            }
        });
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
        return results;
    }

    /** The same work on every physical shard. */
    <T> Map<String, T> onAll(BiFunction<String, DataSource, T> work) {
        Map<String, Boolean> all = new LinkedHashMap<>();
        shards.all().keySet().forEach(name -> all.put(name, Boolean.TRUE));
        return onEach(all, (physical, db, ignored) -> work.apply(physical, db));
    }

    /** Work on one shard with its input. */
    @FunctionalInterface
    interface Work<K, T> {
        T apply(String physical, DataSource dataSource, K input);
    }
}
