package io.chirp.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The file {@code <runDir>/pids}: one line {@code name pid} per live child, in start order.
 * {@code ./chirp status}/{@code down} and the {@link Watchdog} read it; it is rewritten
 * atomically on every change.
 */
public final class ProcessRegistry {

    private final Path file;
    private final Map<Long, String> live = new LinkedHashMap<>();

    public ProcessRegistry(Path runDir) {
        this.file = runDir.resolve("pids");
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    public synchronized void add(String name, long pid) {
        live.put(pid, name);
        write();
    }

    public synchronized void remove(long pid) {
        if (live.remove(pid) != null) {
            write();
        }
    }

    /** Reads {@code name -> pid} from a pids file written by another (or an earlier) process. */
    public static Map<String, Long> read(Path runDir) {
        Path file = runDir.resolve("pids");
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            Map<String, Long> result = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    result.put(parts[0], Long.parseLong(parts[1]));
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write() {
        String text = live.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey() + "\n")
                .collect(Collectors.joining());
        try {
            Path tmp = file.resolveSibling("pids.tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
