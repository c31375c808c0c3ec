package io.chirp.user.domain;

import java.util.Optional;

import io.chirp.platform.sharding.LogicalShards;
import jakarta.inject.Singleton;

/**
 * Checks credentials. An unknown username costs the same hash verification as a wrong
 * password (against a fixed dummy hash), so neither the answer nor its timing tells whether
 * a user exists.
 */
@Singleton
public class AuthService {

    private final UserStore users;
    private final PasswordHasher hasher;
    private final String dummyHash;

    public AuthService(UserStore users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
        this.dummyHash = hasher.hash("chirp-dummy-password-for-unknown-users");
    }

    /**
     * @return the authenticated user
     * @throws Exceptions.BadCredentials for an unknown user or a wrong password alike
     */
    public User authenticate(String username, String password) {
        // a name that cannot be a username (NUL, lone surrogates, …) is unknown without asking the
        // store, which would refuse it; the hash below is still computed, so timing stays the same
        Optional<User> user = ProfileService.canBeUsername(username)
                ? users.claimedBy(ClaimKind.USERNAME, LogicalShards.normalizeKey(username)).flatMap(users::find)
                : Optional.empty();
        String hash = user.flatMap(u -> users.passwordHash(u.id())).orElse(dummyHash);
        boolean matches = hasher.matches(password, hash);
        if (user.isEmpty() || !matches) {
            throw new Exceptions.BadCredentials();
        }
        return user.get();
    }
}
