package db.migration;

import java.sql.Connection;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import io.chirp.user.store.CredentialsBackfill;

/**
 * Backfill and verification of the credentials expand-contract
 * (docs/adr/0005-expand-contract-credentials.md), on each physical shard's database: copies every
 * {@code users.password_hash} that has no {@code credentials} row yet, in batches of
 * {@link CredentialsBackfill#BATCH_SIZE} ids each committed on its own (so not in Flyway's
 * transaction), then fails the migration, and so the start of the release that switches login
 * to {@code credentials}, if any user is still without one.
 * <p>
 * Ships with the READ_NEW release, i.e. only once every running instance dual-writes; it runs
 * before that release serves its first login. Stopped half-way (a killed process), it resumes
 * where it stopped on the next start; a failed run is marked failed in Flyway's history and is
 * run again after {@code flyway repair}.
 */
public class V6__Backfill_credentials extends BaseJavaMigration {

    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        new CredentialsBackfill(CredentialsBackfill.BATCH_SIZE).run(connection, Integer.MAX_VALUE);
        long missing = CredentialsBackfill.missing(connection);
        if (missing != 0) {
            throw new IllegalStateException(missing + " user(s) still have no credentials row after the backfill:"
                    + " an instance that does not dual-write is still running? (ADR 0005)");
        }
    }
}
