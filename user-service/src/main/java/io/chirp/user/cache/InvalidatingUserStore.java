package io.chirp.user.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserRegistered;
import io.chirp.platform.events.UserUpdated;
import io.chirp.user.domain.ClaimKind;
import io.chirp.user.domain.Registration;
import io.chirp.user.domain.User;
import io.chirp.user.domain.UserStore;
import io.micronaut.context.BeanProvider;

/**
 * The {@link UserStore} the application gets ({@link StoreDecorators}): the JDBC one, plus the deletion of a user's cached
 * profile ({@link ProfileCache#invalidate}) after each committed change of a cached field: the
 * profile, the start of a deletion, the tweet count. A write that failed may still have committed
 * (a lost commit acknowledgement), so it invalidates too. Reads are not cached here: they guard
 * writes (see {@link io.chirp.user.domain.ProfileReads} for the cached ones).
 */
final class InvalidatingUserStore implements UserStore {

    private final UserStore store;
    private final BeanProvider<ProfileCache> cache;

    InvalidatingUserStore(UserStore store, BeanProvider<ProfileCache> cache) {
        this.store = store;
        this.cache = cache;
    }

    @Override
    public Optional<User> updateProfile(long userId, String displayName, String bio, UserUpdated event) {
        boolean changed = true;
        try {
            Optional<User> updated = store.updateProfile(userId, displayName, bio, event);
            changed = updated.isPresent();
            return updated;
        } finally {
            invalidateIf(changed, userId);
        }
    }

    @Override
    public boolean startDeletion(long userId, UserDeletionRequested event) {
        boolean changed = true;
        try {
            changed = store.startDeletion(userId, event);
            return changed;
        } finally {
            invalidateIf(changed, userId);
        }
    }

    @Override
    public boolean applyTweetCount(UUID eventId, long userId, int delta) {
        boolean changed = true;
        try {
            changed = store.applyTweetCount(eventId, userId, delta);
            return changed;
        } finally {
            invalidateIf(changed, userId);
        }
    }

    private void invalidateIf(boolean changed, long userId) {
        if (changed) {
            cache.get().invalidate(List.of(userId), "write");
        }
    }

    // no cached field changes below

    @Override
    public Optional<User> find(long id) {
        return store.find(id);
    }

    @Override
    public Map<Long, User> findAll(Collection<Long> ids) {
        return store.findAll(ids);
    }

    @Override
    public Optional<User> findAllowingStale(long id) {
        return store.findAllowingStale(id);
    }

    @Override
    public Map<Long, User> findAllAllowingStale(Collection<Long> ids) {
        return store.findAllAllowingStale(ids);
    }

    @Override
    public Optional<Long> claimedBy(ClaimKind kind, String key) {
        return store.claimedBy(kind, key);
    }

    @Override
    public Optional<String> passwordHash(long userId) {
        return store.passwordHash(userId);
    }

    @Override
    public void startRegistration(Registration registration) {
        store.startRegistration(registration);
    }

    @Override
    public boolean claim(ClaimKind kind, String key, long userId, UUID registrationId) {
        return store.claim(kind, key, userId, registrationId);
    }

    @Override
    public void compensate(Registration registration) {
        store.compensate(registration);
    }

    /** A new user has no cached profile: unknown users are never cached. */
    @Override
    public void createUser(Registration registration, User user, String passwordHash, UserRegistered event) {
        store.createUser(registration, user, passwordHash, event);
    }

    @Override
    public List<Registration> stalledRegistrations(Duration olderThan) {
        return store.stalledRegistrations(olderThan);
    }
}
