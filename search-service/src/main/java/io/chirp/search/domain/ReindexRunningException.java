package io.chirp.search.domain;

/** 409: a reindex is already running on this instance. */
public class ReindexRunningException extends RuntimeException {

    public ReindexRunningException() {
        super("a reindex is already running");
    }
}
