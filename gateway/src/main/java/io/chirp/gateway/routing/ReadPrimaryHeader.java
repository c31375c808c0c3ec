package io.chirp.gateway.routing;

/**
 * The header with which a service building a read model asks another service to read its
 * primaries, not its replicas (chirp-database's {@code ReadYourWrites}). Only services send it;
 * the gateway removes it from what clients send, so a client cannot move load off the replicas.
 */
final class ReadPrimaryHeader {

    /** Same name as {@code io.chirp.platform.database.ReadYourWrites.READ_PRIMARY_HEADER}. */
    static final String NAME = "X-Chirp-Read-Primary";

    private ReadPrimaryHeader() {
    }
}
