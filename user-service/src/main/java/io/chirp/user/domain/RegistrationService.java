package io.chirp.user.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.UserRegistered;
import io.chirp.platform.sharding.IdGenerator;
import io.chirp.platform.sharding.LogicalShards;
import jakarta.inject.Singleton;

/**
 * The registration saga, orchestrated here, its state persisted on the new user's shard:
 * <ol>
 *   <li>claim the lower-cased username (on the shard of its hash) — compensation: release it;</li>
 *   <li>claim the lower-cased email likewise — compensation: release it;</li>
 *   <li>create the user on the user's own shard with {@code UserRegistered} in its outbox.</li>
 * </ol>
 * A claim is a row whose primary key is the value, so of N concurrent registrations of one
 * username (any letter case) exactly one takes it; the others get {@link Exceptions.AlreadyTaken}.
 * A saga that crashed half-way is compensated by {@link #recoverStalled(Duration)}.
 */
@Singleton
public class RegistrationService {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationService.class);

    private final UserStore users;
    private final PasswordHasher hasher;
    private final IdGenerator ids;
    private final Clock clock;

    public RegistrationService(UserStore users, PasswordHasher hasher, IdGenerator ids, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Registers a user. Inputs are already validated for shape (API.md).
     *
     * @throws Exceptions.AlreadyTaken when the username or the email is taken (409)
     */
    public User register(String username, String email, String password, String displayName, String bio) {
        // hash first: the slow step must not hold claims open
        String passwordHash = hasher.hash(password);
        long userId = ids.next(LogicalShards.forUser());
        Registration registration = new Registration(UUID.randomUUID(), userId,
                LogicalShards.normalizeKey(username), LogicalShards.normalizeKey(email.toLowerCase(Locale.ROOT)),
                Registration.State.STARTED);
        users.startRegistration(registration);
        try {
            if (!users.claim(ClaimKind.USERNAME, registration.usernameKey(), userId, registration.id())) {
                throw new Exceptions.AlreadyTaken("username");
            }
            if (!users.claim(ClaimKind.EMAIL, registration.emailKey(), userId, registration.id())) {
                throw new Exceptions.AlreadyTaken("email");
            }
            Instant now = clock.instant();
            User user = new User(userId, username, email, nullToEmpty(displayName), nullToEmpty(bio), 0, 0, 0, now);
            users.createUser(registration, user, passwordHash, new UserRegistered(UUID.randomUUID(), now,
                    UserRegistered.SCHEMA_VERSION, userId, username, user.displayName()));
            return user;
        } catch (RuntimeException e) {
            compensate(registration, e);
            throw e;
        }
    }

    private void compensate(Registration registration, RuntimeException cause) {
        try {
            users.compensate(registration);
        } catch (RuntimeException e) {
            // left STARTED: recoverStalled() finishes the compensation later
            LOG.warn("compensation of registration {} failed; it will be retried", registration.id(), e);
            cause.addSuppressed(e);
        }
    }

    /**
     * Compensates every registration still STARTED after {@code olderThan} (its process died
     * between steps; the user was never created, since creation marks the saga DONE in the
     * same transaction). Returns how many were compensated.
     */
    public int recoverStalled(Duration olderThan) {
        int recovered = 0;
        for (Registration registration : users.stalledRegistrations(olderThan)) {
            users.compensate(registration);
            recovered++;
        }
        if (recovered > 0) {
            LOG.info("compensated {} stalled registration(s)", recovered);
        }
        return recovered;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
