package io.chirp.search.api;

import java.util.List;

import io.chirp.search.domain.Trend;
import io.micronaut.serde.annotation.Serdeable;

/** {@code {"items": [{"hashtag", "tweetCount"}]}}, most tweets first. */
@Serdeable
record TrendsResponse(List<Trend> items) {
}
