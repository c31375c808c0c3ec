package io.chirp.platform.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps as API.md wants them: RFC 3339, UTC, always with milliseconds. */
public final class ApiTimestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ApiTimestamps() {
    }

    /** e.g. {@code 2026-11-22T10:15:30.120Z}. */
    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
