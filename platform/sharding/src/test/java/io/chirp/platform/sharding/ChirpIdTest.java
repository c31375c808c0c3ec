package io.chirp.platform.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChirpIdTest {

    @Test
    void epochIsStartOf2026() {
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), ChirpId.EPOCH);
        assertEquals(ChirpId.EPOCH.toEpochMilli(), ChirpId.EPOCH_MILLIS);
        assertEquals(Instant.parse("2060-11-03T19:53:47.775Z"), ChirpId.LAST_INSTANT);
    }

    @Test
    void fieldsSitWhereInstagramPutsThem() {
        assertEquals(1L, ChirpId.compose(0, 0, 1));
        assertEquals(1L << 10, ChirpId.compose(0, 1, 0));
        assertEquals(1L << 23, ChirpId.compose(1, 0, 0));
        assertEquals(0x3FFL, ChirpId.compose(0, 0, 1023));
        assertEquals(0x1FFFL << 10, ChirpId.compose(0, 8191, 0));
        assertEquals(41 + 13 + 10, ChirpId.TIMESTAMP_BITS + ChirpId.LOGICAL_SHARD_BITS
                + ChirpId.SEQUENCE_BITS);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0, 0",
        "1, 1, 1",
        "123456789, 4242, 17",
        "1099511627775, 8191, 1023",
        "1099511627775, 0, 0",
        "86400000, 8191, 0",
    })
    void partsRoundTrip(long millis, int shard, int sequence) {
        long id = ChirpId.compose(millis, shard, sequence);

        assertEquals(millis, ChirpId.millisSinceEpoch(id));
        assertEquals(ChirpId.EPOCH.plusMillis(millis), ChirpId.timestamp(id));
        assertEquals(shard, ChirpId.logicalShard(id));
        assertEquals(sequence, ChirpId.sequence(id));
        assertTrue(id >= 0, "ids stay positive");
    }

    @Test
    void instantIsTruncatedToItsMillisecond() {
        Instant at = Instant.parse("2026-03-04T05:06:07.123456789Z");

        long id = ChirpId.compose(at, 7, 3);

        assertEquals(Instant.parse("2026-03-04T05:06:07.123Z"), ChirpId.timestamp(id));
        assertEquals(7, ChirpId.logicalShard(id));
        assertEquals(3, ChirpId.sequence(id));
    }

    @Test
    void laterMillisecondAlwaysGivesLargerIdWhateverShardAndSequence() {
        long late = ChirpId.compose(1001, 0, 0);
        long early = ChirpId.compose(1000, 8191, 1023);

        assertTrue(late > early);
        assertEquals(late, early + 1);
    }

    @Test
    void smallestAndLargestIdBracketEveryIdOfTheirMillisecond() {
        Instant at = Instant.parse("2026-06-01T12:00:00.500Z");
        long smallest = ChirpId.smallestIdAt(at);
        long largest = ChirpId.largestIdAt(at);

        assertEquals(ChirpId.compose(at, 0, 0), smallest);
        assertEquals(ChirpId.compose(at, 8191, 1023), largest);
        long some = ChirpId.compose(at, 4000, 500);
        assertTrue(smallest <= some && some <= largest);
        assertEquals(largest + 1, ChirpId.smallestIdAt(at.plusMillis(1)));
        assertEquals(smallest - 1, ChirpId.largestIdAt(at.minusMillis(1)));
        assertEquals(ChirpId.smallestIdAt(at), ChirpId.smallestIdAt(at.plusNanos(999_999)));
    }

    @Test
    void lastInstantHoldsTheLargestPositiveTimestamp() {
        long largest = ChirpId.largestIdAt(ChirpId.LAST_INSTANT);

        assertEquals(Long.MAX_VALUE, largest);
        assertEquals(0L, ChirpId.smallestIdAt(ChirpId.EPOCH));
    }

    @Test
    void invalidPartsAreRejectedByName() {
        assertMessageNames("timestamp", () -> ChirpId.compose(-1, 0, 0));
        assertMessageNames("timestamp", () -> ChirpId.compose(ChirpId.MAX_MILLIS + 1, 0, 0));
        assertMessageNames("logicalShard", () -> ChirpId.compose(0, -1, 0));
        assertMessageNames("logicalShard", () -> ChirpId.compose(0, 8192, 0));
        assertMessageNames("sequence", () -> ChirpId.compose(0, 0, -1));
        assertMessageNames("sequence", () -> ChirpId.compose(0, 0, 1024));
        assertMessageNames("timestamp",
                () -> ChirpId.compose(Instant.parse("2025-12-31T23:59:59.999Z"), 0, 0));
        assertMessageNames("timestamp",
                () -> ChirpId.smallestIdAt(ChirpId.LAST_INSTANT.plusMillis(1)));
        assertMessageNames("timestamp", () -> ChirpId.largestIdAt(Instant.MAX));
        assertMessageNames("timestamp", () -> ChirpId.largestIdAt(Instant.MIN));
    }

    @Test
    void negativeIdsAreNotChirpIds() {
        assertMessageNames("id", () -> ChirpId.logicalShard(-1));
        assertMessageNames("id", () -> ChirpId.timestamp(Long.MIN_VALUE));
        assertMessageNames("id", () -> ChirpId.sequence(-5));
        assertMessageNames("id", () -> ChirpId.describe(-5));
    }

    @Test
    void describeShowsTheParts() {
        long id = ChirpId.compose(14, 3, 5);

        assertEquals(id + "[2026-01-01T00:00:00.014Z shard 3 seq 5]", ChirpId.describe(id));
    }

    private static void assertMessageNames(String part, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(part + " "),
                () -> "message should name " + part + ": " + e.getMessage());
    }
}
