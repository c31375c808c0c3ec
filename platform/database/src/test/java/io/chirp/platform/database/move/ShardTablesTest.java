package io.chirp.platform.database.move;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.chirp.platform.sharding.ChirpId;

class ShardTablesTest {

    @Test
    void aTableWithNoMappingToALogicalShardMakesTheMoveRefuse() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ShardTables.plan(List.of("users", "bookmarks", "claims", "audit_log")));
        assertTrue(refused.getMessage().contains("[audit_log, bookmarks]"), refused.getMessage());
    }

    @Test
    void parentsAreCopiedBeforeTheTablesThatReferenceThem() {
        List<String> order = ShardTables.plan(List.of("deletion_steps", "credentials", "deletions", "users", "outbox"))
                .stream().map(ShardTables.Table::name).toList();
        assertEquals(List.of("users", "credentials", "deletions", "deletion_steps", "outbox"), order);
    }

    @Test
    void theShardPredicateReadsTheIdsThirteenShardBits() {
        long id = ChirpId.compose(123_456, 4321, 77);
        String predicate = ShardTables.shardOf("id");
        assertEquals("((id >> 10) & 8191)", predicate);
        assertEquals(4321, (int) ((id >> 10) & 8191));
    }
}
