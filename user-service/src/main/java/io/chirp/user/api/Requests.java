package io.chirp.user.api;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the Users and auth section of API.md, with its validation rules. */
final class Requests {

    private Requests() {
    }

    @Serdeable
    record CreateUserRequest(
            @NotNull @Pattern(regexp = "^[A-Za-z0-9_]{1,15}$", message = "must be 1 to 15 letters, digits or underscores")
            String username,
            @NotNull @Size(max = 254) @Email(message = "must be a valid email address") String email,
            @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password,
            @Size(max = 50) String displayName,
            @Size(max = 160) String bio) {
    }

    @Serdeable
    record TokenRequest(@NotNull @Size(max = 15) String username, @NotNull @Size(max = 128) String password) {
    }

    @Serdeable
    record UpdateProfileRequest(@Size(max = 50) String displayName, @Size(max = 160) String bio) {
    }

    @Serdeable
    record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    @Serdeable
    record DeletionResponse(String deletionId) {
    }
}
