package io.chirp.search.domain;

import java.util.List;
import java.util.function.Consumer;

/**
 * Port: the event log the search documents are built from (the tweet and user topics), read
 * again from its start by a reindex, apart from the live consumers.
 */
public interface EventLog {

    /** Opens a replay positioned at the start of the log. */
    Replay replayFromStart();

    /** A replay in progress. */
    interface Replay extends AutoCloseable {

        /**
         * Hands every change from the current position up to the end of the log <em>as of this
         * call</em> to {@code sink}, batch by batch, in log order within each partition; events
         * that cannot be decoded are skipped (the live consumer dead-lettered them already).
         * Positions advance only after {@code sink} returned.
         *
         * @return how many records were read
         */
        long toEnd(Consumer<List<IndexChange>> sink);

        @Override
        void close();
    }
}
