package io.chirp.user.domain;

import java.time.Clock;
import java.util.UUID;
import java.util.regex.Pattern;

import io.chirp.platform.events.UserDeletionRequested;
import io.chirp.platform.events.UserUpdated;
import io.chirp.platform.sharding.LogicalShards;
import jakarta.inject.Singleton;

/** Reading and changing one's profile, and starting the account-deletion saga. */
@Singleton
public class ProfileService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_]{1,15}");

    private final UserStore users;
    private final ProfileReads profiles;
    private final Clock clock;

    public ProfileService(UserStore users, ProfileReads profiles, Clock clock) {
        this.users = users;
        this.profiles = profiles;
        this.clock = clock;
    }

    /** The public profile (possibly cached, without the email). */
    public User get(long id) {
        return profiles.find(id).orElseThrow(() -> new Exceptions.UserNotFound(Long.toString(id)));
    }

    public User byUsername(String username) {
        if (!canBeUsername(username)) {
            throw new Exceptions.UserNotFound(username);
        }
        return users.claimedBy(ClaimKind.USERNAME, LogicalShards.normalizeKey(username))
                .flatMap(profiles::find)
                .orElseThrow(() -> new Exceptions.UserNotFound(username));
    }

    /**
     * Whether {@code name} follows the username rule of API.md; no other name can be registered,
     * so any other is unknown (and may hold characters the store refuses, such as NUL).
     */
    static boolean canBeUsername(String name) {
        return name != null && USERNAME.matcher(name).matches();
    }

    /** Changes the given fields; a null field keeps its value. */
    public User update(long userId, String displayName, String bio) {
        // from the database, never the cache: a stale field would be written back
        User current = users.find(userId).orElseThrow(() -> new Exceptions.UserNotFound(Long.toString(userId)));
        String newDisplayName = displayName == null ? current.displayName() : displayName;
        String newBio = bio == null ? current.bio() : bio;
        return users.updateProfile(userId, newDisplayName, newBio, new UserUpdated(UUID.randomUUID(), clock.instant(),
                        UserUpdated.SCHEMA_VERSION, userId, current.username(), newDisplayName, newBio))
                .orElseThrow(() -> new Exceptions.UserNotFound(Long.toString(userId)));
    }

    /**
     * Starts the account-deletion saga: from now on the user is not found; the participants
     * remove their parts on {@code UserDeletionRequested}.
     *
     * @return the saga's id
     */
    public UUID requestDeletion(long userId) {
        UUID deletionId = UUID.randomUUID();
        boolean started = users.startDeletion(userId, new UserDeletionRequested(UUID.randomUUID(), clock.instant(),
                UserDeletionRequested.SCHEMA_VERSION, userId, deletionId));
        if (!started) {
            throw new Exceptions.UserNotFound(Long.toString(userId));
        }
        return deletionId;
    }
}
