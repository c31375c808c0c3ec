package io.chirp.platform.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.Test;

class ReplicaMonitorTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void lsnsAreByteOffsetsOfTwoHexadecimalHalves() {
        assertEquals(0x16_B374D848L, ReplicaMonitor.parseLsn("16/B374D848"));
        assertEquals(0L, ReplicaMonitor.parseLsn("0/0"));
        assertTrue(ReplicaMonitor.parseLsn("1/0") > ReplicaMonitor.parseLsn("0/FFFFFFFF"));
        assertThrows(IllegalArgumentException.class, () -> ReplicaMonitor.parseLsn("16B374D848"));
        assertThrows(IllegalArgumentException.class, () -> ReplicaMonitor.parseLsn("16/"));
    }

    @Test
    void theLagIsTheAgeOfTheNewestPrimaryPositionTheReplicaHasReplayed() {
        Deque<long[]> positions = new ArrayDeque<>();
        positions.add(new long[] {0, 100});
        positions.add(new long[] {1 * SECOND, 200});
        positions.add(new long[] {2 * SECOND, 300});
        positions.add(new long[] {3 * SECOND, 400});

        assertEquals(0.0, ReplicaMonitor.lagSeconds(positions, 400, 3 * SECOND), "caught up with the newest");
        assertEquals(2.0, ReplicaMonitor.lagSeconds(positions, 250, 3 * SECOND), "has what the primary had at 1 s");
        assertEquals(3.0, ReplicaMonitor.lagSeconds(positions, 50, 3 * SECOND), "behind every position: at least the oldest's age");
        assertTrue(Double.isNaN(ReplicaMonitor.lagSeconds(new ArrayDeque<>(), 50, 0)));
    }
}
