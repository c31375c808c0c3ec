package io.chirp.user.store;

/**
 * Where the move of the password hash from {@code users.password_hash} to its own
 * {@code credentials} table stands, for the code: the value of
 * {@code chirp.migrations.credentials.phase} (default {@link #CONTRACTED}, the final state).
 * <p>
 * An expand-contract (parallel change) sequence; each phase is one release, deployed only once
 * every instance runs the one before it, and each one reads what both its neighbours write
 * (docs/adr/0005-expand-contract-credentials.md). The migrations that go with each release:
 * <pre>
 * phase       migration shipped with it          writes users.password_hash  writes credentials  login reads
 * EXPAND      V5 creates credentials             yes                         no                  the column
 * DUAL_WRITE  -                                  yes                         yes (same tx)       the column
 * READ_NEW    V6 backfills in batches, verifies  yes                         yes (same tx)       credentials
 * CONTRACTED  V7 makes the column nullable       no                          yes                 credentials
 *             V8 (next release) drops it
 * </pre>
 * Account deletion needs no phase: {@code credentials.user_id} references {@code users} with
 * {@code ON DELETE CASCADE}, so every version's delete of the user row removes the hash too.
 * This enum and its branches go one release after {@link #CONTRACTED} is everywhere.
 */
public enum CredentialsPhase {

    /** {@code credentials} exists and nobody uses it: the code of before the change. */
    EXPAND(true, false, false),
    /** Registration writes both, in one transaction; login still reads the column. */
    DUAL_WRITE(true, true, false),
    /** Login reads {@code credentials} (backfilled and verified by V6); both are still written. */
    READ_NEW(true, true, true),
    /** Only {@code credentials} is written and read; the column is nullable (V7), then dropped (V8). */
    CONTRACTED(false, true, true);

    private final boolean writesColumn;
    private final boolean writesTable;
    private final boolean readsTable;

    CredentialsPhase(boolean writesColumn, boolean writesTable, boolean readsTable) {
        this.writesColumn = writesColumn;
        this.writesTable = writesTable;
        this.readsTable = readsTable;
    }

    /** Registration writes {@code users.password_hash}. */
    public boolean writesColumn() {
        return writesColumn;
    }

    /** Registration writes the {@code credentials} row, in the transaction of the user row. */
    public boolean writesTable() {
        return writesTable;
    }

    /** Login reads the hash from {@code credentials} (else from {@code users.password_hash}). */
    public boolean readsTable() {
        return readsTable;
    }
}
