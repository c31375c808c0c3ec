package io.chirp.platform.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogicalShardsTest {

    /** Chi-square critical value for 63 degrees of freedom at p = 0.001. */
    private static final double CHI_SQUARE_63_P001 = 103.4;

    @Test
    void thereAre8192LogicalShards() {
        assertEquals(8192, LogicalShards.COUNT);
        assertEquals(8191, LogicalShards.MAX);
        assertEquals(ChirpId.MAX_LOGICAL_SHARD, LogicalShards.MAX);
    }

    @Test
    void newUsersSplitEvenlyBetweenTwoPhysicalHalves() {
        ShardMap halves = ShardMapFixture.twoHalves();
        int draws = 100_000;
        int onShard0 = 0;
        for (int i = 0; i < draws; i++) {
            int shard = LogicalShards.forUser();
            assertTrue(shard >= 0 && shard <= LogicalShards.MAX, "in range: " + shard);
            if (halves.physicalFor(shard).equals("shard0")) {
                onShard0++;
            }
        }

        // 5 % of 100k is ~31 standard deviations: this cannot fail by chance
        assertTrue(onShard0 >= 45_000 && onShard0 <= 55_000, "shard0 got " + onShard0);
    }

    @Test
    void newUsersSpreadOverAllBlocksOfLogicalShards() {
        SplittableRandom seeded = new SplittableRandom(20260101);

        double chiSquare = chiSquareOver64Blocks(64_000, () -> LogicalShards.forUser(seeded));

        assertTrue(chiSquare < CHI_SQUARE_63_P001, "chi-square " + chiSquare);
    }

    @ParameterizedTest
    @CsvSource({
        "alice, 3805",
        "bob, 7154",
        "alice@example.com, 1254",
        "jürgen, 1473",
        "test, 4627",
    })
    void claimShardOfAKeyNeverChanges(String key, int expectedShard) {
        assertEquals(expectedShard, LogicalShards.forKey(key));
    }

    @Test
    void similarKeysSpreadOverAllBlocksOfLogicalShards() {
        int[] next = {0};

        double chiSquare = chiSquareOver64Blocks(64_000,
                () -> LogicalShards.forKey("user" + next[0]++ + "@example.com"));

        assertTrue(chiSquare < CHI_SQUARE_63_P001, "chi-square " + chiSquare);
    }

    @Test
    void keysThatAreNotLowerCasedAreRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LogicalShards.forKey("Alice"));

        assertTrue(e.getMessage().contains("'Alice'"), e.getMessage());
        assertEquals(LogicalShards.forKey("alice"),
                LogicalShards.forKey(LogicalShards.normalizeKey("ALICE")));
    }

    @Test
    void emptyKeyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LogicalShards.forKey(""));
        assertThrows(NullPointerException.class, () -> LogicalShards.forKey(null));
    }

    @Test
    void normalizingDoesNotDependOnTheServersLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));

            assertEquals("ida@example.com", LogicalShards.normalizeKey("IDA@Example.COM"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void requireValidAcceptsOnlyTheLogicalShardRange() {
        assertEquals(0, LogicalShards.requireValid(0));
        assertEquals(8191, LogicalShards.requireValid(8191));
        assertThrows(IllegalArgumentException.class, () -> LogicalShards.requireValid(-1));
        assertThrows(IllegalArgumentException.class, () -> LogicalShards.requireValid(8192));
    }

    /** Chi-square of {@code draws} shards counted in 64 blocks of 128 logical shards. */
    private static double chiSquareOver64Blocks(int draws, IntSupplier shards) {
        int[] counts = new int[64];
        for (int i = 0; i < draws; i++) {
            counts[shards.getAsInt() / 128]++;
        }
        double expected = draws / 64.0;
        double chiSquare = 0;
        for (int count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        return chiSquare;
    }
}
