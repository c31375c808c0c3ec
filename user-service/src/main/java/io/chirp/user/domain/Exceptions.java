package io.chirp.user.domain;

/** The domain's refusals; the api layer maps each once to its HTTP status. */
public final class Exceptions {

    private Exceptions() {
    }

    /** 404: no such (active) user. */
    public static final class UserNotFound extends RuntimeException {
        public UserNotFound(String what) {
            super("no user " + what);
        }
    }

    /** 409: the username or email is already registered. */
    public static final class AlreadyTaken extends RuntimeException {
        private final String field;

        public AlreadyTaken(String field) {
            super(field + " is already taken");
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** 401: wrong username or password (the same answer for both, on purpose). */
    public static final class BadCredentials extends RuntimeException {
        public BadCredentials() {
            super("wrong username or password");
        }
    }

    /** 400: a request that is well-formed but not allowed, e.g. following yourself. */
    public static final class InvalidAction extends RuntimeException {
        public InvalidAction(String message) {
            super(message);
        }
    }
}
