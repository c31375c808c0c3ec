package io.chirp.engines;

/** A fixed port that an engine or service needs is already taken by another process. */
public final class PortInUseException extends EngineStartException {

    private final int port;

    public PortInUseException(int port, String owner) {
        super("Port " + port + " (" + owner + ") is already in use by another process. Stop that"
                + " process, or choose another port for " + owner + " (see ./chirp up --help).");
        this.port = port;
    }

    public int port() {
        return port;
    }
}
