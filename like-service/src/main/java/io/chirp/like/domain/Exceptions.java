package io.chirp.like.domain;

/** The domain's refusals; the api layer maps each once to its HTTP status. */
public final class Exceptions {

    private Exceptions() {
    }

    /** 404: no such tweet or user. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String what) {
            super(what + " not found");
        }
    }
}
