package io.chirp.search.domain;

/** What became of one change written by {@link DocumentStore#write}. */
public enum WriteOutcome {
    /** Written. */
    APPLIED,
    /** Refused because the document already holds this or a newer version: nothing to do. */
    STALE,
    /** Failed for a reason that may pass (engine overloaded or unavailable): retry the batch. */
    RETRYABLE,
    /** Refused for good (e.g. a document the mapping rejects): dead-letter its event. */
    REJECTED
}
