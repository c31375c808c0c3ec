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
}
