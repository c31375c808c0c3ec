package io.chirp.search.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

/**
 * Applies a batch of changes to the search documents: one bulk write, then the account
 * erasures of the batch. Idempotent and order-safe (see {@link IndexChange}), so a batch may
 * be applied again whole after any failure.
 */
@Singleton
public class Indexer {

    private final DocumentStore store;

    public Indexer(DocumentStore store) {
        this.store = store;
    }

    /**
     * @return what was written, what was refused for good (by position in {@code changes}) and
     *         the account erasures now complete
     * @throws SearchUnavailableException when the engine failed the batch or part of it for a
     *                                    reason that may pass: apply the batch again later
     */
    public BatchResult apply(List<IndexChange> changes, IndexTarget target) {
        // A tweet's TweetCreated may be read after its author's UserDeletionRequested (the two
        // are on different topics, and a reindex replays both from the start): the author's
        // tombstone keeps such a tweet out.
        Set<Long> authors = changes.stream().filter(IndexChange.TweetUpsert.class::isInstance)
                .map(c -> Long.parseLong(((IndexChange.TweetUpsert) c).tweet().authorId()))
                .collect(Collectors.toSet());
        Set<Long> erased = authors.isEmpty() ? Set.of() : store.erasedUsers(authors, target);
        List<IndexChange> writes = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            IndexChange change = changes.get(i);
            if (change instanceof IndexChange.TweetUpsert upsert
                    && erased.contains(Long.parseLong(upsert.tweet().authorId()))) {
                continue;
            }
            writes.add(change);
            positions.add(i);
        }
        List<WriteOutcome> outcomes = writes.isEmpty() ? List.of() : store.write(writes, target);
        if (outcomes.contains(WriteOutcome.RETRYABLE)) {
            throw new SearchUnavailableException("the search engine refused part of a bulk write for now", null);
        }
        int applied = 0;
        int stale = 0;
        List<Integer> rejected = new ArrayList<>();
        List<IndexChange.UserErasure> erasures = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            switch (outcomes.get(i)) {
                case APPLIED -> applied++;
                case STALE -> stale++;
                case REJECTED -> rejected.add(positions.get(i));
                default -> throw new IllegalStateException("unexpected outcome " + outcomes.get(i));
            }
            // the tombstone is in place (now or already): remove the tweets, also on redelivery
            if (writes.get(i) instanceof IndexChange.UserErasure erasure && outcomes.get(i) != WriteOutcome.REJECTED) {
                store.removeTweetsOf(erasure.userId(), target);
                erasures.add(erasure);
            }
        }
        return new BatchResult(applied, stale, changes.size() - writes.size(), rejected, erasures);
    }

    /**
     * @param applied   changes written
     * @param stale     changes older than what the documents hold (already applied or superseded)
     * @param skipped   tweets of erased authors, not written
     * @param rejected  positions (in the batch) of changes refused for good
     * @param erasures  account erasures complete in this target
     */
    public record BatchResult(int applied, int stale, int skipped, List<Integer> rejected,
                              List<IndexChange.UserErasure> erasures) {
    }
}
