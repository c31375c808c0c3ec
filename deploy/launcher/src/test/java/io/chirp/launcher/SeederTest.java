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

    @Test
    void aSyntheticGraphHasAPowerLawTailAndCelebritiesFarAboveIt() {
        Seeder.Graph graph = Seeder.synthetic(5_000, 3, 10, 42);
        assertEquals(5_000, graph.nodes().size());
        java.util.Map<Integer, Integer> followers = new java.util.HashMap<>();
        Set<String> edges = new java.util.HashSet<>();
        for (int[] edge : graph.follows()) {
            org.junit.jupiter.api.Assertions.assertNotEquals(edge[0], edge[1], "no self-follow");
            org.junit.jupiter.api.Assertions.assertTrue(edges.add(edge[0] + ">" + edge[1]), "no duplicate follow");
            followers.merge(edge[1], 1, Integer::sum);
        }
        for (int celebrity = 1; celebrity <= 3; celebrity++) {
            int count = followers.get(celebrity);
            org.junit.jupiter.api.Assertions.assertTrue(count > 2_700 && count < 3_300, "about 60 % follow celebrity "
                    + celebrity + ": " + count);
        }
        List<Integer> others = followers.entrySet().stream().filter(e -> e.getKey() > 3).map(java.util.Map.Entry::getValue)
                .sorted(java.util.Comparator.reverseOrder()).toList();
        long total = others.stream().mapToLong(Integer::intValue).sum();
        long top1Percent = others.stream().limit(50).mapToLong(Integer::intValue).sum();
        org.junit.jupiter.api.Assertions.assertTrue(top1Percent > total / 10,
                "preferential attachment: the top 1 % hold over 10 % of follows (" + top1Percent + " of " + total + ")");
        org.junit.jupiter.api.Assertions.assertTrue(others.get(0) < 1_350, "no accidental celebrity: " + others.get(0));
        assertEquals(graph.follows().size(), Seeder.synthetic(5_000, 3, 10, 42).follows().size(), "deterministic");
    }

    @Test
    void seededTweetsAreCorpusSentencesWithAHashtagUnder280CodePointsAndJsonSafe() throws Exception {
        List<Integer> nodes = java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList();
        Set<String> distinct = new java.util.HashSet<>();
        for (int node = 1; node <= 100; node++) {
            for (int i = 0; i < 5; i++) {
                String json = "{\"text\":\"" + Seeder.text(node, i, nodes) + "\"}";
                String text = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("text").asText();
                org.junit.jupiter.api.Assertions.assertTrue(text.codePointCount(0, text.length()) <= 280, text);
                org.junit.jupiter.api.Assertions.assertTrue(text.matches(".+ #[a-z]+( @user_\\d+)?"), text);
                distinct.add(text.substring(0, text.indexOf(" #")));
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(distinct.size() > 30, "many sentences are used: " + distinct.size());
    }
}
