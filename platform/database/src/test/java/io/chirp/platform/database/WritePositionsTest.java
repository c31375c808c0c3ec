package io.chirp.platform.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.chirp.platform.sharding.ReplicaMonitor;

class WritePositionsTest {

    @Test
    void aPinnedCallerReadsAReplicaOnlyOnceItReplayedPastTheirWrite() {
        WritePositions pin = WritePositions.of(Map.of("shard0", 1_000L, "shard1", WritePositions.UNKNOWN));

        assertFalse(pin.allowsReplica("shard0", 999), "not yet replayed");
        assertTrue(pin.allowsReplica("shard0", 1_000), "replayed exactly to the write");
        assertFalse(pin.allowsReplica("shard1", Long.MAX_VALUE - 1), "an unknown position: the primary until the pin expires");
        assertFalse(pin.allowsReplica("shard2", 5_000), "a database the pin does not know: the primary");
        assertFalse(WritePositions.PRIMARIES.allowsReplica("shard0", Long.MAX_VALUE - 1));
        assertTrue(WritePositions.NONE.allowsReplica("shard0", -1), "not pinned: any replica in rotation");
    }

    @Test
    void twoPinsMergeToTheLaterPositionPerDatabase() {
        WritePositions earlier = WritePositions.of(Map.of("shard0", 1_000L, "shard1", 70L));
        WritePositions later = WritePositions.of(Map.of("shard0", 900L, "shard1", 80L));

        WritePositions merged = earlier.max(later);
        assertFalse(merged.allowsReplica("shard0", 999));
        assertFalse(merged.allowsReplica("shard1", 79));
        assertTrue(merged.allowsReplica("shard1", 80));
        assertSame(WritePositions.PRIMARIES, earlier.max(WritePositions.PRIMARIES));
        assertSame(earlier, WritePositions.NONE.max(earlier));
    }

    @Test
    void redisFieldsAreFixedWidthHexadecimalSoStringOrderIsNumericOrder() {
        long position = ReplicaMonitor.parseLsn("16/B374D848");
        assertEquals("00000016b374d848", WritePositions.hex(position));
        assertEquals("7fffffffffffffff", WritePositions.hex(WritePositions.UNKNOWN));
        assertTrue(WritePositions.hex(0x10_0000_0000L).compareTo(WritePositions.hex(0xF_FFFF_FFFFL)) > 0,
                "a longer number is a larger string");

        WritePositions pin = WritePositions.fromFields(Map.of("shard0", "00000016b374d848"));
        assertTrue(pin.allowsReplica("shard0", position));
        assertFalse(pin.allowsReplica("shard0", position - 1));
        assertEquals(Map.of("shard0", "00000016b374d848"), pin.toFields());
        assertNull(WritePositions.fromFields(Map.of()), "no hash: not pinned");
    }
}
