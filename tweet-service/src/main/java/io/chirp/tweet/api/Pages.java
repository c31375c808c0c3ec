package io.chirp.tweet.api;

import java.util.OptionalLong;

import io.chirp.platform.web.Page;
import io.chirp.platform.web.PageCursor;
import io.chirp.tweet.domain.TweetPage;

/**
 * Cursors of tweet lists: keyset on the tweet id alone (ids are time-ordered and unique), so
 * the cursor's sort key and id are both the last id of the page.
 */
final class Pages {

    private Pages() {
    }

    /** The id a page starts below; empty for the first page. */
    static OptionalLong before(String cursor) {
        return cursor == null ? OptionalLong.empty() : OptionalLong.of(PageCursor.decode(cursor).id());
    }

    static Page<TweetResponse> of(TweetPage page) {
        return new Page<>(page.items().stream().map(TweetResponse::of).toList(),
                page.nextBefore().isPresent()
                        ? new PageCursor(page.nextBefore().getAsLong(), page.nextBefore().getAsLong()).encode()
                        : null);
    }
}
