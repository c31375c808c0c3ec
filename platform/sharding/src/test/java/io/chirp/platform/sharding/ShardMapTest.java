package io.chirp.platform.sharding;

import static io.chirp.platform.sharding.ShardMapFixture.TWO_DATABASES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardMapTest {

    @Test
    void rangesRouteEachLogicalShard() {
        ShardMap map = ShardMapFixture.twoHalves();

        assertEquals("shard0", map.physicalFor(0));
        assertEquals("shard0", map.physicalFor(4095));
        assertEquals("shard1", map.physicalFor(4096));
        assertEquals("shard1", map.physicalFor(8191));
    }

    @Test
    void overrideMovesOneLogicalShard() {
        ShardMap map = ShardMap.parse(Map.of("0-4095", "shard0", "4096-8191", "shard1"),
                Map.of("1234", "shard1"), TWO_DATABASES);

        assertEquals("shard0", map.physicalFor(1233));
        assertEquals("shard1", map.physicalFor(1234));
        assertEquals("shard0", map.physicalFor(1235));
        assertEquals(map, ShardMapFixture.twoHalves().withMove(1234, "shard1"));
    }

    @Test
    void idIsRoutedByTheLogicalShardItCarries() {
        ShardMap map = ShardMapFixture.twoHalves();

        assertEquals("shard0", map.physicalForId(ChirpId.compose(5_000, 4095, 9)));
        assertEquals("shard1", map.physicalForId(ChirpId.compose(5_000, 4096, 0)));
    }

    @Test
    void physicalNamesKeepConfigurationOrderAndIncludeEmptyDatabases() {
        ShardMap map = ShardMap.parse(Map.of("0-8191", "shard1"), null,
                List.of("shard1", "shard0", "shard2"));

        assertEquals(List.of("shard1", "shard0", "shard2"), List.copyOf(map.physicalNames()));
        assertArrayEquals(new int[0], map.logicalShardsOn("shard2"));
        assertEquals(8192, map.logicalShardsOn("shard1").length);
    }

    @Test
    void logicalShardsOnListsTheShardsOfADatabaseInOrder() {
        ShardMap map = ShardMapFixture.twoHalves().withMove(17, "shard1");

        int[] onShard1 = map.logicalShardsOn("shard1");

        assertArrayEquals(IntStream.concat(IntStream.of(17), IntStream.rangeClosed(4096, 8191))
                .toArray(), onShard1);
        assertEquals(4095, map.logicalShardsOn("shard0").length);
        assertThrows(IllegalArgumentException.class, () -> map.logicalShardsOn("shard9"));
    }

    @Test
    void entriesFormParsesLikeTheMapForm() {
        ShardMap fromEntries = ShardMap.parseEntries(List.of(" 4096 - 8191 : shard1", "0-4095:shard0"),
                List.of("1234: shard1"), TWO_DATABASES);
        ShardMap fromMaps = ShardMap.parse(Map.of("0-4095", "shard0", "4096-8191", "shard1"),
                Map.of("1234", "shard1"), TWO_DATABASES);

        assertEquals(fromMaps, fromEntries);
        assertEquals(fromMaps.hashCode(), fromEntries.hashCode());
    }

    @Test
    void singleShardRangesAreAllowed() {
        ShardMap map = ShardMap.parseEntries(List.of("0: shard1", "1-8191: shard0"), null,
                TWO_DATABASES);

        assertEquals("shard1", map.physicalFor(0));
        assertEquals("shard0", map.physicalFor(1));
    }

    @Test
    void gapsAreReportedWithTheUncoveredShards() {
        IllegalArgumentException e = rejected(List.of("0-4095: shard0", "4200-8000: shard1"),
                List.of());

        assertTrue(e.getMessage().contains("not covered by any range: 4096-4199, 8001-8191"),
                e.getMessage());
    }

    @Test
    void overlapsAreReportedWithBothRanges() {
        IllegalArgumentException e = rejected(List.of("0-4095: shard0", "4000-8191: shard1"),
                List.of());

        assertTrue(e.getMessage().contains("4000-4095"), e.getMessage());
        assertTrue(e.getMessage().contains("range '0-4095: shard0'"), e.getMessage());
        assertTrue(e.getMessage().contains("range '4000-8191: shard1'"), e.getMessage());
    }

    @Test
    void unknownPhysicalNameInARangeIsReportedWithTheRange() {
        IllegalArgumentException e = rejected(List.of("0-4095: shard0", "4096-8191: shard9"),
                List.of());

        assertTrue(e.getMessage().startsWith("range '4096-8191: shard9'"), e.getMessage());
        assertTrue(e.getMessage().contains("'shard9'"), e.getMessage());
    }

    @Test
    void unknownPhysicalNameInAnOverrideIsReportedWithTheOverride() {
        IllegalArgumentException e = rejected(List.of("0-4095: shard0", "4096-8191: shard1"),
                List.of("12: shard7"));

        assertTrue(e.getMessage().startsWith("override '12: shard7'"), e.getMessage());
    }

    @Test
    void rangeBeyondTheLastLogicalShardIsRejected() {
        IllegalArgumentException e = rejected(List.of("0-4095: shard0", "4096-8192: shard1"),
                List.of());

        assertTrue(e.getMessage().startsWith("range '4096-8192: shard1'"), e.getMessage());
    }

    @Test
    void overrideOutOfRangeIsRejected() {
        IllegalArgumentException e = rejected(List.of("0-4095: shard0", "4096-8191: shard1"),
                List.of("9000: shard1"));

        assertTrue(e.getMessage().startsWith("override '9000: shard1'"), e.getMessage());
    }

    @Test
    void overlappingOverridesAreRejected() {
        IllegalArgumentException e = rejected(List.of("0-4095: shard0", "4096-8191: shard1"),
                List.of("12: shard1", "10-20: shard0"));

        assertTrue(e.getMessage().contains("override '12: shard1'"), e.getMessage());
        assertTrue(e.getMessage().contains("override '10-20: shard0'"), e.getMessage());
    }

    @Test
    void malformedEntriesAreRejectedByName() {
        for (String bad : List.of("0..4095: shard0", "-1-4095: shard0", "x: shard0",
                "0-4095 shard0", "4095-0: shard0", "99999999999-1: shard0")) {
            IllegalArgumentException e = rejected(List.of(bad, "4096-8191: shard1"), List.of());

            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void physicalNamesMustBeGiven() {
        assertThrows(IllegalArgumentException.class,
                () -> ShardMap.parseEntries(List.of("0-8191: shard0"), null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ShardMap.parseEntries(List.of("0-8191: shard0"), null, List.of("shard0", " ")));
    }

    @Test
    void withMoveReturnsANewMapAndLeavesTheOldOneAlone() {
        ShardMap before = ShardMapFixture.twoHalves();

        ShardMap after = before.withMove(100, "shard1");

        assertEquals("shard1", after.physicalFor(100));
        assertEquals("shard0", before.physicalFor(100));
        assertEquals("shard0", after.physicalFor(99));
        assertNotEquals(before, after);
        assertEquals(before, after.withMove(100, "shard0"));
    }

    @Test
    void movingAShardWhereItAlreadyIsChangesNothing() {
        ShardMap map = ShardMapFixture.twoHalves();

        assertSame(map, map.withMove(5, "shard0"));
    }

    @Test
    void withMoveRejectsUnknownDatabasesAndShards() {
        ShardMap map = ShardMapFixture.twoHalves();

        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> map.withMove(5, "shard9"));
        assertTrue(unknown.getMessage().startsWith("toPhysical 'shard9'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> map.withMove(8192, "shard1"));
        assertThrows(IllegalArgumentException.class, () -> map.physicalFor(-1));
    }

    @Test
    void movedMapCanBeWrittenBackAsRanges() {
        ShardMap moved = ShardMapFixture.twoHalves().withMove(1234, "shard1");

        List<String> entries = moved.toRangeEntries();

        assertEquals(List.of("0-1233: shard0", "1234: shard1", "1235-4095: shard0",
                "4096-8191: shard1"), entries);
        assertEquals(moved, ShardMap.parseEntries(entries, null, moved.physicalNames()));
        assertEquals("ShardMap[0-1233: shard0, 1234: shard1, 1235-4095: shard0, 4096-8191: shard1;"
                + " physical [shard0, shard1]]", moved.toString());
    }

    private static IllegalArgumentException rejected(List<String> ranges, List<String> overrides) {
        return assertThrows(IllegalArgumentException.class,
                () -> ShardMap.parseEntries(ranges, overrides, TWO_DATABASES));
    }
}
