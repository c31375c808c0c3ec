package io.chirp.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeederTest {

    @TempDir
    Path dir;

    @Test
    void anUndirectedEdgeListBecomesMutualFollowsSkippingCommentsAndSelfLoops() throws Exception {
        Path file = dir.resolve("g.edges");
        Files.writeString(file, "% a comment\n# another\n1 2\n2 3 0.5\n4 4\n\n");
        Seeder.Graph graph = Seeder.read(file, false);
        assertEquals(Set.of(1, 2, 3), graph.nodes());
        assertEquals(List.of("1>2", "2>1", "2>3", "3>2"), graph.follows().stream().map(e -> e[0] + ">" + e[1]).toList());
    }

    @Test
    void aDirectedMatrixMarketFileKeepsDirectionAndSkipsItsSizeLine() throws Exception {
        Path file = dir.resolve("g.mtx");
        Files.writeString(file, "%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 2\n3 1\n");
        Seeder.Graph graph = Seeder.read(file, true);
        assertEquals(List.of("1>2", "3>1"), graph.follows().stream().map(e -> e[0] + ">" + e[1]).toList());
    }

    @Test
    void theReed98GraphHas962PeopleAnd37624Follows() throws Exception {
        Path reed = Path.of("../../../shared/data/socfb-Reed98.edges");
        Seeder.Graph graph = Seeder.read(reed, false);
        assertEquals(962, graph.nodes().size());
        assertEquals(37_624, graph.follows().size());
    }
}
