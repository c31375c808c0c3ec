package io.chirp.search.domain;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Port: writes to the search documents (tweets and users indices). */
public interface DocumentStore {

    /**
     * The ids among {@code userIds} whose user document is a tombstone (account deleted), read in
     * real time (not subject to the refresh interval).
     */
    Set<Long> erasedUsers(Collection<Long> userIds, IndexTarget target);

    /**
     * Writes {@code changes} in one bulk request, in order.
     *
     * @return one outcome per change, in the same order
     * @throws SearchUnavailableException when the request as a whole fails
     */
    List<WriteOutcome> write(List<IndexChange> changes, IndexTarget target);

    /** Removes every tweet document of {@code userId}, including those not yet refreshed. */
    void removeTweetsOf(long userId, IndexTarget target);
}
