package io.chirp.search.domain;

import java.time.Instant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The last reindex of this instance.
 *
 * @param state      {@code NEVER}, {@code RUNNING}, {@code DONE} or {@code FAILED}
 * @param tweetsIndex the generation being built or built, e.g. {@code tweets-v2}
 * @param events     changes replayed so far while running; records read when done
 * @param error      why it failed, when it did
 */
@Serdeable
public record ReindexStatus(State state, @Nullable Instant startedAt, @Nullable Instant finishedAt,
                            @Nullable String tweetsIndex, @Nullable String usersIndex, long events,
                            @Nullable String error) {

    public enum State { NEVER, RUNNING, DONE, FAILED }

    static ReindexStatus never() {
        return new ReindexStatus(State.NEVER, null, null, null, null, 0, null);
    }
}
