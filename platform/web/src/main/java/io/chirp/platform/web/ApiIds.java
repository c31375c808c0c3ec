package io.chirp.platform.web;

/**
 * 64-bit ids travel as JSON strings (JavaScript loses precision above 2^53, so API.md follows
 * Twitter's {@code id_str}). Parsing a path or body id that is not a positive 64-bit decimal
 * number is a 400 naming the field.
 */
public final class ApiIds {

    private ApiIds() {
    }

    /**
     * @throws InvalidRequestException when {@code value} is not a positive decimal {@code long}
     */
    public static long parse(String field, String value) {
        if (value == null || value.isEmpty() || value.length() > 19 || !value.chars().allMatch(Character::isDigit)) {
            throw new InvalidRequestException(field, "must be a positive 64-bit id in decimal");
        }
        try {
            long id = Long.parseLong(value);
            if (id <= 0) {
                throw new InvalidRequestException(field, "must be a positive 64-bit id in decimal");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(field, "must be a positive 64-bit id in decimal");
        }
    }
}
