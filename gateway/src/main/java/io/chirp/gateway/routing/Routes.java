package io.chirp.gateway.routing;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which service owns a public path (API.md): the first matching rule wins, so the more
 * specific ones (a user's tweets, a tweet's likes) come before their prefixes. Paths outside
 * {@code /api/v1/} — {@code /internal/**} among them — are never routed.
 */
final class Routes {

    private record Rule(Pattern path, String service) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("^/api/v1/users/[^/]+/tweets/?$"), "tweet-service"),
            new Rule(Pattern.compile("^/api/v1/users/[^/]+/likes/?$"), "like-service"),
            new Rule(Pattern.compile("^/api/v1/(users|auth)(/.*)?$"), "user-service"),
            new Rule(Pattern.compile("^/api/v1/tweets/[^/]+/likes(/.*)?$"), "like-service"),
            new Rule(Pattern.compile("^/api/v1/tweets(/.*)?$"), "tweet-service"),
            new Rule(Pattern.compile("^/api/v1/timelines(/.*)?$"), "timeline-service"),
            new Rule(Pattern.compile("^/api/v1/(search(/.*)?|trends/?)$"), "search-service"));

    private Routes() {
    }

    /** The owning service's name, or empty when the path is not part of the public API. */
    static Optional<String> serviceFor(String path) {
        for (Rule rule : RULES) {
            if (rule.path().matcher(path).matches()) {
                return Optional.of(rule.service());
            }
        }
        return Optional.empty();
    }
}
