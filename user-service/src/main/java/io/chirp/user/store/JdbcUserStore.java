package io.chirp.user.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserRegistered;
import io.chirp.platform.events.UserUpdated;
import io.chirp.platform.messaging.Inbox;
import io.chirp.user.domain.ClaimKind;
import io.chirp.user.domain.Registration;
import io.chirp.user.domain.User;
import io.chirp.user.domain.UserStore;
import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/** {@link UserStore} on the sharded PostgreSQL databases, routed by {@link ShardedDataSources}. */
@Singleton
class JdbcUserStore implements UserStore {

    private static final String USER_COLUMNS = "id, username, email, display_name, bio, followers_count,"
            + " following_count, tweet_count, created_at";

    private final ShardedDataSources shards;
    private final OutboxEvents outbox;
    /** Where the password hash lives (docs/adr/0005-expand-contract-credentials.md). */
    private final CredentialsPhase credentials;

    JdbcUserStore(ShardedDataSources shards, OutboxEvents outbox,
                  @Value("${chirp.migrations.credentials.phase:CONTRACTED}") CredentialsPhase credentials) {
        this.shards = shards;
        this.outbox = outbox;
        this.credentials = credentials;
    }

    /** The consumer name of {@link #applyTweetCount} in the inbox. */
    static final String TWEET_COUNT_CONSUMER = "user-service.tweet-counts";

    @Override
    public boolean applyTweetCount(UUID eventId, long userId, int delta) {
        return ShardJdbc.inTransaction(shards.forId(userId), c -> {
            if (!Inbox.firstDelivery(c, TWEET_COUNT_CONSUMER, eventId)) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE users SET tweet_count = GREATEST(tweet_count + ?, 0) WHERE id = ?")) {
                s.setInt(1, delta);
                s.setLong(2, userId);
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<User> find(long id) {
        return find(shards.forId(id), id);
    }

    @Override
    public Optional<User> findAllowingStale(long id) {
        return find(shards.forRead(id), id);
    }

    private Optional<User> find(DataSource db, long id) {
        return ShardJdbc.read(db, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + USER_COLUMNS + " FROM users WHERE id = ? AND status = 'ACTIVE'")) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(user(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Map<Long, User> findAll(Collection<Long> ids) {
        return findAll(ids, false);
    }

    @Override
    public Map<Long, User> findAllAllowingStale(Collection<Long> ids) {
        return findAll(ids, true);
    }

    private Map<Long, User> findAll(Collection<Long> ids, boolean allowingStale) {
        Map<Long, User> found = new HashMap<>();
        shards.groupByPhysical(ids).forEach((physical, group) -> ShardJdbc.read(
                allowingStale ? shards.forReadOn(physical) : shards.all().get(physical), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + USER_COLUMNS + " FROM users WHERE id = ANY(?) AND status = 'ACTIVE'")) {
                s.setArray(1, c.createArrayOf("bigint", group.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        User user = user(rs);
                        found.put(user.id(), user);
                    }
                }
            }
            return null;
        }));
        return found;
    }

    @Override
    public Optional<Long> claimedBy(ClaimKind kind, String key) {
        return ShardJdbc.read(shards.forKey(key), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT c.user_id FROM claims c WHERE c.kind = ? AND c.value = ?")) {
                s.setString(1, kind.name());
                s.setString(2, key);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<String> passwordHash(long userId) {
        return ShardJdbc.read(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement(credentials.readsTable()
                    ? "SELECT c.password_hash FROM credentials c JOIN users u ON u.id = c.user_id"
                            + " WHERE c.user_id = ? AND u.status = 'ACTIVE'"
                    : "SELECT password_hash FROM users WHERE id = ? AND status = 'ACTIVE'")) {
                s.setLong(1, userId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void startRegistration(Registration r) {
        ShardJdbc.inTransaction(shards.forId(r.userId()), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO registrations (id, user_id, username_key,"
                    + " email_key, state) VALUES (?, ?, ?, ?, 'STARTED')")) {
                s.setObject(1, r.id());
                s.setLong(2, r.userId());
                s.setString(3, r.usernameKey());
                s.setString(4, r.emailKey());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public boolean claim(ClaimKind kind, String key, long userId, UUID registrationId) {
        return ShardJdbc.inTransaction(shards.forKey(key), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO claims (kind, value, user_id, registration_id)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (kind, value) DO NOTHING")) {
                s.setString(1, kind.name());
                s.setString(2, key);
                s.setLong(3, userId);
                s.setObject(4, registrationId);
                if (s.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT registration_id FROM claims WHERE kind = ? AND value = ?")) {
                s.setString(1, kind.name());
                s.setString(2, key);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && registrationId.equals(rs.getObject(1, UUID.class));
                }
            }
        });
    }

    @Override
    public void compensate(Registration r) {
        releaseClaim(ClaimKind.USERNAME, r.usernameKey(), r.id());
        releaseClaim(ClaimKind.EMAIL, r.emailKey(), r.id());
        ShardJdbc.inTransaction(shards.forId(r.userId()), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE registrations SET state = 'COMPENSATED',"
                    + " updated_at = now() WHERE id = ? AND state = 'STARTED'")) {
                s.setObject(1, r.id());
                return s.executeUpdate();
            }
        });
    }

    /** Deletes the claim only if this registration holds it: never another's. */
    private void releaseClaim(ClaimKind kind, String key, UUID registrationId) {
        ShardJdbc.inTransaction(shards.forKey(key), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM claims WHERE kind = ? AND value = ? AND registration_id = ?")) {
                s.setString(1, kind.name());
                s.setString(2, key);
                s.setObject(3, registrationId);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void createUser(Registration r, User u, String passwordHash, UserRegistered event) {
        ShardJdbc.inTransaction(shards.forId(u.id()), c -> {
            boolean column = credentials.writesColumn();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO users (id, username, email, display_name, bio,"
                    + " created_at, updated_at" + (column ? ", password_hash" : "") + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?" + (column ? ", ?" : "") + ")")) {
                s.setLong(1, u.id());
                s.setString(2, u.username());
                s.setString(3, u.email());
                s.setString(4, u.displayName());
                s.setString(5, u.bio());
                s.setTimestamp(6, Timestamp.from(u.createdAt()));
                s.setTimestamp(7, Timestamp.from(u.createdAt()));
                if (column) {
                    s.setString(8, passwordHash);
                }
                s.executeUpdate();
            }
            if (credentials.writesTable()) {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO credentials (user_id, password_hash, updated_at) VALUES (?, ?, ?)")) {
                    s.setLong(1, u.id());
                    s.setString(2, passwordHash);
                    s.setTimestamp(3, Timestamp.from(u.createdAt()));
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE registrations SET state = 'DONE', updated_at = now()"
                    + " WHERE id = ? AND state = 'STARTED'")) {
                s.setObject(1, r.id());
                if (s.executeUpdate() != 1) {
                    throw new IllegalStateException("registration " + r.id() + " is no longer STARTED");
                }
            }
            outbox.append(c, event.eventId(), u.id(), event);
            return null;
        });
    }

    @Override
    public List<Registration> stalledRegistrations(Duration olderThan) {
        List<Registration> stalled = new ArrayList<>();
        for (DataSource db : shards.all().values()) {
            ShardJdbc.read(db, c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT id, user_id, username_key, email_key"
                        + " FROM registrations WHERE state = 'STARTED' AND updated_at < ?")) {
                    s.setTimestamp(1, Timestamp.from(Instant.now().minus(olderThan)));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            stalled.add(new Registration(rs.getObject(1, UUID.class), rs.getLong(2),
                                    rs.getString(3), rs.getString(4), Registration.State.STARTED));
                        }
                    }
                }
                return null;
            });
        }
        return stalled;
    }

    @Override
    public Optional<User> updateProfile(long userId, String displayName, String bio, UserUpdated event) {
        return ShardJdbc.inTransaction(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE users SET display_name = ?, bio = ?,"
                    + " updated_at = now() WHERE id = ? AND status = 'ACTIVE' RETURNING " + USER_COLUMNS)) {
                s.setString(1, displayName);
                s.setString(2, bio);
                s.setLong(3, userId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    User user = user(rs);
                    outbox.append(c, event.eventId(), userId, event);
                    return Optional.of(user);
                }
            }
        });
    }

    @Override
    public boolean startDeletion(long userId, UserDeletionRequested event) {
        return ShardJdbc.inTransaction(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE users SET status = 'DELETING', updated_at = now()"
                    + " WHERE id = ? AND status = 'ACTIVE'")) {
                s.setLong(1, userId);
                if (s.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO deletions (id, user_id, state) VALUES (?, ?, 'REQUESTED')")) {
                s.setObject(1, event.deletionId());
                s.setLong(2, userId);
                s.executeUpdate();
            }
            outbox.append(c, event.eventId(), userId, event);
            return true;
        });
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("email"),
                rs.getString("display_name"), rs.getString("bio"), rs.getLong("followers_count"),
                rs.getLong("following_count"), rs.getLong("tweet_count"), rs.getTimestamp("created_at").toInstant());
    }

}
