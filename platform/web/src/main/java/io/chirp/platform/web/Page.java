package io.chirp.platform.web;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One page of a list answer: {@code {"items": [...], "nextCursor": "opaque" | null}}
 * (API.md, "Pagination"). {@code nextCursor} is null on the last page.
 */
@Serdeable
public record Page<T>(List<T> items, String nextCursor) {
}
