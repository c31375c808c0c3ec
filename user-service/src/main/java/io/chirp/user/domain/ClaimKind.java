package io.chirp.user.domain;

/** What a uniqueness claim reserves; the claim lives on the shard of the value's hash. */
public enum ClaimKind {
    USERNAME,
    EMAIL
}
