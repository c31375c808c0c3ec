package io.chirp.platform.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store readings taken on a schedule, off the scrape path, for gauges to report: a gauge reads
 * the last result held in memory, so {@code /prometheus} never waits for a database, and a dead
 * shard cannot make a scrape hang or fail.
 * <p>
 * <b>Refresh.</b> Each reading ({@link #add}) is taken at once and then every {@code interval}
 * (measured from the end of the previous one) on its own daemon thread
 * {@code readings-<name>-<n>}, so a reading blocked on an unreachable store delays no other.
 * The query itself should carry a short timeout (e.g. JDBC {@code setQueryTimeout}, the
 * Cassandra driver's {@code setTimeout}); a reading that throws is logged once per failure
 * streak and retried on the next tick.
 * <p>
 * <b>Unknown is NaN, never a stale value.</b> {@link Reading#value} is {@code NaN} before the
 * first successful read, after a failed read, and when the last success is older than three
 * intervals (the read is hanging). A remembered value would tell an alert, or a fault-injection
 * test asserting "nothing is stuck", that a shard it cannot read holds nothing; Prometheus
 * stores {@code NaN} and comparisons such as {@code > 0} or {@code == 0} are false for it.
 * <p>
 * Thread-safe. {@link #close()} stops every refresh; gauges keep reporting {@code NaN} after it.
 */
public final class PolledReadings implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolledReadings.class);

    private final String name;
    private final Duration interval;
    private final ScheduledThreadPoolExecutor scheduler;
    private final List<Reading<?>> readings = new ArrayList<>();
    private final AtomicInteger threads = new AtomicInteger();

    /**
     * @param name     names the threads and the log lines, e.g. {@code outbox-backlog}
     * @param interval the pause between two reads of one reading; positive
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public PolledReadings(String name, Duration interval) {
        this.name = Objects.requireNonNull(name, "name");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "readings-" + name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Schedules {@code query} (first run now, then every interval) and returns the holder of its
     * last result, for a gauge's value function.
     *
     * @param what  names the reading in log lines, e.g. {@code shard0}
     * @param query the store read; its exceptions are caught and make the value unknown
     * @throws java.util.concurrent.RejectedExecutionException after {@link #close()}
     */
    public synchronized <T> Reading<T> add(String what, Callable<T> query) {
        Reading<T> reading = new Reading<>(what, Objects.requireNonNull(query, "query"), interval.toNanos() * 3);
        readings.add(reading);
        scheduler.setCorePoolSize(readings.size());
        scheduler.scheduleWithFixedDelay(reading::refresh, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return reading;
    }

    /** Stops every refresh; a read in progress is interrupted. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    @Override
    public String toString() {
        return "PolledReadings[" + name + ", every " + interval + "]";
    }

    /**
     * The last result of one scheduled query.
     *
     * @param <T> what the query returns, e.g. a count or counts by state
     */
    public final class Reading<T> {

        private final String what;
        private final Callable<T> query;
        private final long staleAfterNanos;
        private volatile T last;
        private volatile long lastSuccessNanos;
        private int failures; // the refresh thread only

        private Reading(String what, Callable<T> query, long staleAfterNanos) {
            this.what = what;
            this.query = query;
            this.staleAfterNanos = staleAfterNanos;
        }

        /**
         * {@code toDouble} of the last result, or {@code NaN} when it is unknown: no successful
         * read yet, the last read failed, or it succeeded more than three intervals ago.
         */
        public double value(ToDoubleFunction<? super T> toDouble) {
            T result = last;
            if (result == null || System.nanoTime() - lastSuccessNanos > staleAfterNanos) {
                return Double.NaN;
            }
            return toDouble.applyAsDouble(result);
        }

        private void refresh() {
            try {
                T result = Objects.requireNonNull(query.call(), "a reading returned null");
                lastSuccessNanos = System.nanoTime();
                last = result;
                if (failures > 0) {
                    LOG.info("Reading {} of {} recovered after {} failures", what, name, failures);
                    failures = 0;
                }
            } catch (Exception | Error e) {
                // a throw would cancel every later run of scheduleWithFixedDelay
                last = null;
                if (failures++ == 0) {
                    LOG.warn("Reading {} of {} failed; reporting NaN until it succeeds: {}", what, name, e.toString());
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
