package io.chirp.search.domain;

import java.util.Collection;
import java.util.List;

/**
 * Port: the versioned indices behind the {@code tweets} and {@code users} aliases. A generation
 * is a pair of concrete indices ({@code tweets-v3}, {@code users-v3}); the aliases name the live one.
 */
public interface IndexGenerations {

    /** Creates the next generation's empty indices, not yet behind the aliases. */
    IndexTarget createNext();

    /**
     * Makes {@code generation} fully searchable (refresh), then moves both aliases to it in one
     * atomic alias update.
     *
     * @return the indices the aliases named before (none when they were missing)
     */
    List<String> promote(IndexTarget generation);

    /** Deletes indices (missing ones are ignored). */
    void drop(Collection<String> indices);
}
