package io.chirp.platform.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

    private static final long T = ChirpId.EPOCH_MILLIS + 1_000;

    /** A clock the test sets; every wait turn of the generator moves it 1 ms forward. */
    private final AtomicLong clock = new AtomicLong(T);
    private final AtomicInteger pauses = new AtomicInteger();
    private final IdGenerator generator = generator(5);

    private IdGenerator generator(long toleranceMillis) {
        return new IdGenerator(clock::get, toleranceMillis, () -> {
            pauses.incrementAndGet();
            clock.incrementAndGet();
        });
    }

    @Test
    void firstIdOfAMillisecondHasSequenceZeroAndTheClocksTime() {
        long id = generator.next(42);

        assertEquals(42, ChirpId.logicalShard(id));
        assertEquals(1_000, ChirpId.millisSinceEpoch(id));
        assertEquals(0, ChirpId.sequence(id));
    }

    @Test
    void sequenceCountsWithinAMillisecondAndRestartsInTheNext() {
        long a = generator.next(7);
        long b = generator.next(7);
        clock.set(T + 1);
        long c = generator.next(7);

        assertEquals(List.of(0, 1, 0), List.of(ChirpId.sequence(a), ChirpId.sequence(b),
                ChirpId.sequence(c)));
        assertTrue(a < b && b < c);
    }

    @Test
    void eachShardHasItsOwnSequence() {
        generator.next(1);
        generator.next(1);

        long other = generator.next(2);

        assertEquals(0, ChirpId.sequence(other));
        assertEquals(2, ChirpId.logicalShard(other));
    }

    @Test
    void exhaustedMillisecondWaitsForTheNextOne() {
        for (int sequence = 0; sequence <= ChirpId.MAX_SEQUENCE; sequence++) {
            long id = generator.next(9);
            assertEquals(sequence, ChirpId.sequence(id));
            assertEquals(1_000, ChirpId.millisSinceEpoch(id));
        }
        assertEquals(0, pauses.get());

        long overflow = generator.next(9);

        assertEquals(1, pauses.get(), "waited one turn for the clock to move on");
        assertEquals(1_001, ChirpId.millisSinceEpoch(overflow));
        assertEquals(0, ChirpId.sequence(overflow));
    }

    @Test
    void smallBackwardStepIsWaitedOut() {
        long before = generator.next(3);
        clock.set(T - 5);

        long after = generator.next(3);

        assertEquals(5, pauses.get(), "waited until the clock was back at the last id's ms");
        assertTrue(after > before);
        assertEquals(1_000, ChirpId.millisSinceEpoch(after));
        assertEquals(1, ChirpId.sequence(after));
    }

    @Test
    void largerBackwardStepIsRefusedWithItsSize() {
        long before = generator.next(3);
        clock.set(T - 6);

        ClockMovedBackwardsException e =
                assertThrows(ClockMovedBackwardsException.class, () -> generator.next(3));

        assertEquals(6, e.millisBackwards());
        assertTrue(e.getMessage().contains("6 ms"), e.getMessage());
        assertEquals(0, pauses.get());

        clock.set(T + 1);
        long recovered = generator.next(3);
        assertTrue(recovered > before);
        assertEquals(0, ChirpId.sequence(recovered));
    }

    @Test
    void backwardStepOnlyConcernsShardsThatIssuedLaterIds() {
        clock.set(T + 100);
        generator.next(3);
        clock.set(T);

        long id = generator.next(4);

        assertEquals(1_000, ChirpId.millisSinceEpoch(id));
    }

    @Test
    void furtherStepBackWhileWaitingIsRefused() {
        AtomicInteger turns = new AtomicInteger();
        IdGenerator shaky = new IdGenerator(clock::get, 5, () -> {
            if (turns.incrementAndGet() == 2) {
                clock.set(T - 600);
            } else {
                clock.incrementAndGet();
            }
        });
        shaky.next(3);
        clock.set(T - 3);

        ClockMovedBackwardsException e =
                assertThrows(ClockMovedBackwardsException.class, () -> shaky.next(3));

        assertEquals(600, e.millisBackwards());
    }

    @Test
    void zeroToleranceRefusesAnyStepBack() {
        IdGenerator strict = generator(0);
        strict.next(1);
        clock.set(T - 1);

        assertEquals(1, assertThrows(ClockMovedBackwardsException.class,
                () -> strict.next(1)).millisBackwards());
    }

    @Test
    void negativeToleranceIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new IdGenerator(Clock.systemUTC(), Duration.ofMillis(-1)));
    }

    @Test
    void defaultToleranceIsFiveMilliseconds() {
        assertEquals(5, new IdGenerator(Clock.systemUTC()).backwardsToleranceMillis());
        assertEquals(5, new IdGenerator().backwardsToleranceMillis());
    }

    @Test
    void invalidShardIsRejectedByName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> generator.next(8192));

        assertTrue(e.getMessage().startsWith("logicalShard"), e.getMessage());
    }

    @Test
    void clockBeforeTheEpochIsAnError() {
        clock.set(ChirpId.EPOCH_MILLIS - 1);

        assertThrows(IllegalStateException.class, () -> generator.next(1));
    }

    @Test
    void readsTheGivenClock() {
        Instant at = Instant.parse("2027-02-03T04:05:06.789Z");
        IdGenerator fixed = new IdGenerator(Clock.fixed(at, ZoneOffset.UTC));

        long id = fixed.next(100);

        assertEquals(at, ChirpId.timestamp(id));
        assertEquals(100, ChirpId.logicalShard(id));
    }

    @Test
    void idsOfOneShardAreUniqueAndIncreasingAcrossThreads() throws Exception {
        int threads = 4;
        int perThread = 100_000;
        // monotonic, so a wall-clock step during the build cannot fail the test
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        LongSupplier millis = () -> startMillis + (System.nanoTime() - startNanos) / 1_000_000;
        IdGenerator shared = new IdGenerator(millis, 5, Thread::onSpinWait);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<long[]> task = () -> {
                    start.await();
                    long[] ids = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        ids[i] = shared.next(77);
                    }
                    return ids;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();

            Set<Long> all = new HashSet<>();
            for (Future<long[]> future : futures) {
                long[] ids = future.get();
                for (int i = 0; i < ids.length; i++) {
                    assertEquals(77, ChirpId.logicalShard(ids[i]));
                    if (i > 0) {
                        assertTrue(ids[i] > ids[i - 1], "increasing within a thread");
                    }
                    all.add(ids[i]);
                }
            }
            assertEquals(threads * perThread, all.size(), "no duplicates");
        } finally {
            pool.shutdownNow();
        }
    }
}
