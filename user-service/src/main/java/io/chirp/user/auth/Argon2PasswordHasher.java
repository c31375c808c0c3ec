package io.chirp.user.auth;

import java.util.concurrent.Semaphore;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import io.chirp.user.domain.PasswordHasher;
import jakarta.inject.Singleton;

/**
 * Argon2id with OWASP's minimum parameters (19 MiB of memory, 2 iterations, parallelism 1;
 * OWASP Password Storage Cheat Sheet), a 16-byte salt and a 32-byte hash, stored in the
 * standard {@code $argon2id$v=19$m=…} encoding. Each hash holds 19 MiB while it runs, so at
 * most {@code 2 × cores} run at once: a burst of sign-ups queues instead of exhausting the heap.
 */
@Singleton
class Argon2PasswordHasher implements PasswordHasher {

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    private final Semaphore permits = new Semaphore(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));

    @Override
    public String hash(CharSequence password) {
        permits.acquireUninterruptibly();
        try {
            return encoder.encode(password);
        } finally {
            permits.release();
        }
    }

    @Override
    public boolean matches(CharSequence password, String hash) {
        permits.acquireUninterruptibly();
        try {
            return encoder.matches(password, hash);
        } finally {
            permits.release();
        }
    }
}
