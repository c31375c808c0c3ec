package io.chirp.engines;

/**
 * An engine (or a service started like one) could not be started. The message names the
 * engine and the cause, and carries the tail of its log when the process had written one,
 * so a failure reads as a diagnosis rather than a hang or a bare stack trace.
 */
public class EngineStartException extends RuntimeException {

    public EngineStartException(String message) {
        super(message);
    }

    public EngineStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
