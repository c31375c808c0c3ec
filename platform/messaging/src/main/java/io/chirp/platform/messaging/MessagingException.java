package io.chirp.platform.messaging;

import java.sql.SQLException;

/**
 * A database error in an operation of this library that does not declare {@link SQLException}
 * (the relay's batch, the backlog count, the purges): unchecked, with the {@link SQLException}
 * as its cause. Operations that run inside the caller's transaction ({@link Outbox#append},
 * {@link Inbox#firstDelivery}) throw the {@link SQLException} itself.
 */
public final class MessagingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MessagingException(String message, SQLException cause) {
        super(message, cause);
    }

    @Override
    public synchronized SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
