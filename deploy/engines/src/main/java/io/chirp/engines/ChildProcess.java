package io.chirp.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One child process of ours: started with its output appended to a log file, registered in
 * the {@link ProcessRegistry} (so the {@link Watchdog} can reap it if we die), awaited until
 * a readiness probe passes, and stopped gracefully (SIGTERM, then SIGKILL after a grace
 * period). A process that exits while we wait for it, or never becomes ready, fails with an
 * {@link EngineStartException} carrying the tail of its log.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final ProcessRegistry registry;

    private ChildProcess(String name, Process process, Path logFile, ProcessRegistry registry) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.registry = registry;
    }

    /**
     * Starts {@code command} in {@code workDir}, appending stdout and stderr to {@code logFile}.
     * When the {@code setsid} utility exists the child gets its own session, so a Ctrl-C in
     * the terminal reaches only the launcher, which then stops children in order.
     */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path logFile,
                                     Map<String, String> environment, ProcessRegistry registry) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            full.add("/usr/bin/setsid");
        }
        full.addAll(command);
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            registry.add(name, process.pid());
            return new ChildProcess(name, process, logFile, registry);
        } catch (IOException e) {
            throw new EngineStartException("Could not start " + name + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** The exit code once the process has ended, or -1 while it runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * Polls {@code ready} every 100 ms until it is true. Fails fast, with the log tail, if the
     * process exits first; after {@code timeout} stops the process and fails likewise.
     */
    public void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                registry.remove(process.pid());
                throw new EngineStartException(name + " exited with code " + process.exitValue()
                        + " before it was ready. Last lines of " + logFile + ":\n" + logTail(30));
            }
            boolean ok;
            try {
                ok = ready.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String tail = logTail(30);
                close();
                throw new EngineStartException(name + " was not ready within " + timeout.toSeconds()
                        + " s. Last lines of " + logFile + ":\n" + tail);
            }
            sleep(100);
        }
    }

    /**
     * Waits for a one-off process (such as a storage format) to finish.
     *
     * @return its exit code
     * @throws EngineStartException when it is still running after {@code timeout} (it is killed)
     */
    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new EngineStartException(name + " did not finish within " + timeout.toSeconds()
                        + " s. Last lines of " + logFile + ":\n" + logTail(30));
            }
            registry.remove(process.pid());
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("interrupted", e);
        }
    }

    /** The last {@code lines} lines of the log file (empty when there is none). */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL of the process and its descendants. */
    public void stop(Duration grace) {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        registry.remove(process.pid());
    }

    /** SIGKILL of the process and its descendants (a crash: no shutdown hooks run), then waits for the exit. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registry.remove(process.pid());
    }

    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("interrupted", e);
        }
    }
}
