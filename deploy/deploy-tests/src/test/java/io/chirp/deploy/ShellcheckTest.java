package io.chirp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code shellcheck} passes on every shell script of the repository: each {@code *.sh} (outside
 * build output, {@code .git}, {@code .chirp} and {@code node_modules}), {@code ./chirp} and
 * {@code .ci/run}. Fails when shellcheck is not installed (.ci/run installs it).
 */
class ShellcheckTest {

    static List<Path> scripts() throws IOException {
        List<Path> scripts = new ArrayList<>(List.of(Repo.ROOT.resolve("chirp"), Repo.ROOT.resolve(".ci/run")));
        try (Stream<Path> files = Files.walk(Repo.ROOT)) {
            files.filter(p -> p.getFileName().toString().endsWith(".sh"))
                    .filter(p -> Files.isRegularFile(p))
                    .filter(p -> {
                        String relative = Repo.ROOT.relativize(p).toString();
                        return Stream.of(relative.split("/")).noneMatch(part -> part.equals("target")
                                || part.equals(".git") || part.equals(".chirp") || part.equals("node_modules"));
                    })
                    .sorted()
                    .forEach(scripts::add);
        }
        return scripts;
    }

    @Test
    void everyShellScriptPassesShellcheck() throws IOException {
        List<Path> scripts = scripts();
        assertTrue(scripts.stream().anyMatch(p -> p.endsWith("deploy/docker/healthcheck.sh")), "finds the scripts: " + scripts);
        List<String> command = new ArrayList<>(List.of("shellcheck", "--format=gcc"));
        scripts.forEach(p -> command.add(Repo.ROOT.relativize(p).toString()));
        Repo.Result result = Repo.run(command);
        assertEquals(0, result.exit(), "shellcheck:\n" + result.output());
    }
}
