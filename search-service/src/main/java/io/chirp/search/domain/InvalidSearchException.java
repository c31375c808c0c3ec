package io.chirp.search.domain;

/** 400: a search parameter the domain refuses; the message names the field. */
public class InvalidSearchException extends RuntimeException {

    private final String field;

    public InvalidSearchException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
