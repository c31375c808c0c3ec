package io.chirp.engines;

/** A started engine. {@link #close()} stops it gracefully and keeps its data. */
public interface RunningEngine extends AutoCloseable {

    /** A short name such as {@code postgres-0}, {@code redis}, {@code kafka}. */
    String name();

    /** How clients reach it: a JDBC URL, {@code redis://…}, {@code host:port} or {@code http://…}. */
    String endpoint();

    /** The pid of the engine's server process (the postmaster for PostgreSQL). */
    long pid();

    @Override
    void close();

    /**
     * Kills the engine's server process and its descendants with SIGKILL (no shutdown, no
     * flush: a crash), waits up to 30 s for them to exit, then releases what {@link #close()}
     * would (its entry in the process registry). The data stays, so a new start recovers it.
     */
    default void kill() {
        ProcessHandle.of(pid()).ifPresent(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        });
        close();
    }
}
