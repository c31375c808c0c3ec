package io.chirp.platform.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class LogicalShardFencesTest {

    @Test
    void aFenceWaitsForTheWorkInFlightAndHoldsNewWorkUntilLifted() throws Exception {
        LogicalShardFences fences = new LogicalShardFences(Duration.ofSeconds(30));
        LogicalShardFences.Permit inFlight = fences.enter(7);

        CompletableFuture<Duration> fence = CompletableFuture.supplyAsync(() -> fences.fence(7, Duration.ofSeconds(30)));
        assertThrows(TimeoutException.class, () -> fence.get(200, TimeUnit.MILLISECONDS),
                "the fence waits for the transaction in flight");

        inFlight.close();
        fence.get(10, TimeUnit.SECONDS);
        assertTrue(fences.isFenced(7));

        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Void> newWork = CompletableFuture.runAsync(() -> {
            try (LogicalShardFences.Permit permit = fences.enter(7)) {
                entered.countDown();
            } catch (SQLTransientConnectionException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(entered.await(200, TimeUnit.MILLISECONDS), "new work on the fenced shard waits");
        try (LogicalShardFences.Permit other = fences.enter(8)) {
            // another logical shard is not blocked
        }

        fences.lift(7);
        newWork.get(10, TimeUnit.SECONDS);
        assertFalse(fences.isFenced(7));
    }

    @Test
    void workWaitingLongerThanItsMaximumFailsAsATransientConnectionError() {
        LogicalShardFences fences = new LogicalShardFences(Duration.ofMillis(100));
        fences.fence(3, Duration.ofSeconds(1));

        SQLTransientConnectionException refused = assertThrows(SQLTransientConnectionException.class, () -> fences.enter(3));
        assertEquals("08001", refused.getSQLState());
        assertTrue(ShardJdbc.isOutage(refused), "answered 503 like any outage");
        assertThrows(IllegalStateException.class, () -> fences.fence(3, Duration.ofSeconds(1)), "already fenced");
    }

    @Test
    void aFenceThatCannotDrainIsNotRaised() throws Exception {
        LogicalShardFences fences = new LogicalShardFences(Duration.ofSeconds(1));
        LogicalShardFences.Permit stuck = fences.enter(5);

        assertThrows(IllegalStateException.class, () -> fences.fence(5, Duration.ofMillis(100)));
        assertFalse(fences.isFenced(5));
        fences.enter(5).close();
        stuck.close();
        stuck.close();
        fences.fence(5, Duration.ofSeconds(1));
        assertTrue(fences.isFenced(5), "a permit closed twice released once, and the drain completed");
    }
}
