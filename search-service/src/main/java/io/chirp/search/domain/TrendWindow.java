package io.chirp.search.domain;

import java.time.Duration;
import java.util.Arrays;

/** The windows of {@code GET /api/v1/trends} (API.md): the last hour or the last day. */
public enum TrendWindow {
    HOUR("1h", Duration.ofHours(1)),
    DAY("24h", Duration.ofHours(24));

    private final String label;
    private final Duration length;

    TrendWindow(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public Duration length() {
        return length;
    }

    /** @throws InvalidSearchException naming {@code window} for anything but {@code 1h} or {@code 24h} */
    public static TrendWindow parse(String label) {
        return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst()
                .orElseThrow(() -> new InvalidSearchException("window", "must be 1h or 24h"));
    }
}
