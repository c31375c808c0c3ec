package io.chirp.user;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import io.chirp.user.domain.PasswordHasher;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Argon2id in the service's own encoding, at 64 KiB and 1 iteration instead of OWASP's 19 MiB and
 * 2, for tests that make thousands of logins and whose subject is not the hash's cost (on this
 * 2-core machine the real parameters cost a fraction of a second of CPU each in Java). The
 * parameters travel in the encoded hash, so the service's own hasher verifies these hashes too.
 * Only where {@value #ENABLED} is true.
 */
@Singleton
@Replaces(PasswordHasher.class)
@Requires(property = CheapPasswordHasher.ENABLED, value = "true")
class CheapPasswordHasher implements PasswordHasher {

    static final String ENABLED = "chirp.test.cheap-password-hashes";

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 64, 1);

    @Override
    public String hash(CharSequence password) {
        return encoder.encode(password);
    }

    @Override
    public boolean matches(CharSequence password, String hash) {
        return encoder.matches(password, hash);
    }
}
