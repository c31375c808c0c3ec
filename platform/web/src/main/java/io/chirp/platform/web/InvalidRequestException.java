package io.chirp.platform.web;

/**
 * Input that failed a check the type system and bean validation cannot express. Answered as
 * 400 problem+json whose detail names the field.
 */
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
