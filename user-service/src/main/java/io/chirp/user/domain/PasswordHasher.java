package io.chirp.user.domain;

/** A slow, salted password hash (Argon2id in production). */
public interface PasswordHasher {

    String hash(CharSequence password);

    boolean matches(CharSequence password, String hash);
}
