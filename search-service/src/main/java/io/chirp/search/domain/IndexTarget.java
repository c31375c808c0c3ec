package io.chirp.search.domain;

/**
 * Where changes are written: the live aliases ({@code tweets}, {@code users}) or the concrete
 * indices of a generation being rebuilt by {@link ReindexService}.
 *
 * @param tweets  index or alias of tweets
 * @param users   index or alias of users
 * @param aliases true for the live aliases: a write must then never create an index by itself
 */
public record IndexTarget(String tweets, String users, boolean aliases) {
}
