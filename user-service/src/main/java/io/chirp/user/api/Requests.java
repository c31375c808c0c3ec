package io.chirp.user.api;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the Users and auth section of API.md, with its validation rules. */
final class Requests {

    // Lengths in Unicode code points, not UTF-16 chars (an emoji counts once, as for a tweet's
    // text): a character class matches a whole code point. NUL and lone surrogates (JSON "\u0000",
    // "\ud800" escapes) cannot be stored in PostgreSQL text, so they are invalid input.
    private static final String DISPLAY_NAME = "[^\\x00\\p{Cs}]{0,50}";
    private static final String DISPLAY_NAME_RULE =
            "must be at most 50 characters (Unicode code points), without NUL or lone surrogates";
    private static final String BIO = "[^\\x00\\p{Cs}]{0,160}";
    private static final String BIO_RULE =
            "must be at most 160 characters (Unicode code points), without NUL or lone surrogates";

    private Requests() {
    }

    @Serdeable
    record CreateUserRequest(
            @NotNull @Pattern(regexp = "^[A-Za-z0-9_]{1,15}$", message = "must be 1 to 15 letters, digits or underscores")
            String username,
            @NotNull @Size(max = 254) @Email(message = "must be a valid email address") String email,
            @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password,
            @Pattern(regexp = DISPLAY_NAME, message = DISPLAY_NAME_RULE) String displayName,
            @Pattern(regexp = BIO, message = BIO_RULE) String bio) {
    }

    @Serdeable
    record TokenRequest(@NotNull @Size(max = 15) String username, @NotNull @Size(max = 128) String password) {
    }

    @Serdeable
    record UpdateProfileRequest(@Pattern(regexp = DISPLAY_NAME, message = DISPLAY_NAME_RULE) String displayName,
                                @Pattern(regexp = BIO, message = BIO_RULE) String bio) {
    }

    @Serdeable
    record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    @Serdeable
    record DeletionResponse(String deletionId) {
    }
}
