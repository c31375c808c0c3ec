package io.chirp.platform.database;

import java.time.Duration;
import java.util.Map;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Streaming replicas of the physical databases ({@code chirp.replicas.*}).
 *
 * @param urls                 datasource name → JDBC URL of its replica; a blank URL means
 *                             none (every read goes to the primary)
 * @param maxLag               a replica further behind than this is out of rotation
 * @param refreshInterval      how often each replica's lag is measured
 * @param readYourWritesWindow the most a caller's reads stay on the primary after their own
 *                             write (sooner back on a replica that replayed past it, see
 *                             {@link ReadYourWrites}); must exceed {@code maxLag + refreshInterval}
 *                             (checked at start), the most a replica in rotation can be behind
 * @param poolSize             connections of each replica's pool
 * @param connectionTimeout    how long a read waits for a replica connection before it reads
 *                             the primary instead
 */
@ConfigurationProperties("chirp.replicas")
public record ReplicaProperties(@Nullable Map<String, String> urls,
                                @Bindable(defaultValue = "1s") Duration maxLag,
                                @Bindable(defaultValue = "250ms") Duration refreshInterval,
                                @Bindable(defaultValue = "3s") Duration readYourWritesWindow,
                                @Bindable(defaultValue = "10") int poolSize,
                                @Bindable(defaultValue = "500ms") Duration connectionTimeout) {

    /** The configured replicas with a non-blank URL. */
    public Map<String, String> urlsOrEmpty() {
        if (urls == null) {
            return Map.of();
        }
        Map<String, String> present = new java.util.TreeMap<>();
        urls.forEach((name, url) -> {
            if (url != null && !url.isBlank()) {
                present.put(name, url.trim());
            }
        });
        return present;
    }
}
