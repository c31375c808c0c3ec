package io.chirp.tweet.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.events.Topics;
import io.chirp.platform.messaging.Inbox;
import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.tweet.domain.Author;
import io.chirp.tweet.domain.AuthorStore;
import jakarta.inject.Singleton;

/** {@link AuthorStore} on the sharded PostgreSQL databases: each author on their own shard. */
@Singleton
class JdbcAuthorStore implements AuthorStore {

    /** The inbox consumer name of the user-events handlers. */
    static final String USER_EVENTS_CONSUMER = "tweet-service.user-events";

    private final ShardedDataSources shards;
    private final ShardReads reads;
    private final OutboxEvents outbox;

    JdbcAuthorStore(ShardedDataSources shards, ShardReads reads, OutboxEvents outbox) {
        this.shards = shards;
        this.reads = reads;
        this.outbox = outbox;
    }

    @Override
    public boolean applyUsername(UUID eventId, long userId, String username) {
        return ShardJdbc.inTransaction(shards.forId(userId), c -> {
            if (!Inbox.firstDelivery(c, USER_EVENTS_CONSUMER, eventId)) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO authors (user_id, username) VALUES (?, ?)"
                    + " ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, updated_at = now()"
                    + " WHERE authors.deleted_at IS NULL")) {
                s.setLong(1, userId);
                s.setString(2, username);
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<Author> find(long userId) {
        return ShardJdbc.read(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT username, deleted_at IS NOT NULL FROM authors WHERE user_id = ?")) {
                s.setLong(1, userId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Author(userId, rs.getString(1), rs.getBoolean(2)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public Set<String> knownUsernames(Collection<String> usernames) {
        String[] lower = usernames.stream().map(u -> u.toLowerCase(Locale.ROOT)).distinct().toArray(String[]::new);
        Set<String> known = new HashSet<>();
        reads.onAll((physical, db) -> ShardJdbc.read(db, c -> {
            reads.count("mentions", physical);
            try (PreparedStatement s = c.prepareStatement("SELECT lower(username) FROM authors"
                    + " WHERE lower(username) = ANY(?) AND deleted_at IS NULL")) {
                s.setArray(1, c.createArrayOf("text", lower));
                Set<String> found = new HashSet<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
                return found;
            }
        })).values().forEach(known::addAll);
        return known;
    }

    @Override
    public void markDeleted(long userId) {
        ShardJdbc.inTransaction(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO authors (user_id, username, deleted_at)"
                    + " VALUES (?, '', now()) ON CONFLICT (user_id) DO UPDATE"
                    + " SET deleted_at = COALESCE(authors.deleted_at, now()), updated_at = now()")) {
                s.setLong(1, userId);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public boolean acknowledgeDeletion(UUID eventId, AccountDeletionStepDone acknowledgement) {
        return ShardJdbc.inTransaction(shards.forId(acknowledgement.userId()), c -> {
            if (!Inbox.firstDelivery(c, USER_EVENTS_CONSUMER, eventId)) {
                return false;
            }
            outbox.append(c, Topics.ACCOUNT_DELETION_REPLIES, acknowledgement.eventId(), acknowledgement.userId(),
                    acknowledgement);
            return true;
        });
    }
}
