package io.chirp.launcher;

import java.util.List;

/**
 * One Micronaut application of the cluster: its Maven module (where {@code target/} holds its
 * jar and {@code classpath.txt}) and main class.
 */
record ServiceSpec(String name, String module, String mainClass) {

    /** Start order; stopped in reverse. The gateway comes last: it reports the others' health. */
    static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("user-service", "user-service", "io.chirp.user.Application"),
            new ServiceSpec("tweet-service", "tweet-service", "io.chirp.tweet.Application"),
            new ServiceSpec("timeline-service", "timeline-service", "io.chirp.timeline.Application"),
            new ServiceSpec("like-service", "like-service", "io.chirp.like.Application"),
            new ServiceSpec("search-service", "search-service", "io.chirp.search.Application"),
            new ServiceSpec("gateway", "gateway", "io.chirp.gateway.Application"));
}
