package io.chirp.platform.web;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A keyset cursor: the sort key and the id of the last item of a page, so the next page starts
 * strictly after it ({@code WHERE (sort_key, id) < (?, ?)} for newest-first lists). Stable under
 * concurrent inserts: newer items never shift older ones, so there are no duplicates and no
 * skips. Encoded as 16 bytes in unpadded base64url, opaque to clients.
 *
 * @param sortKey e.g. a creation time in microseconds since the Unix epoch, or an id
 * @param id      the tie-breaker, the item's id
 */
public record PageCursor(long sortKey, long id) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(ByteBuffer.allocate(16).putLong(sortKey).putLong(id).array());
    }

    /**
     * Decodes a cursor from a client.
     *
     * @throws InvalidRequestException (400, naming {@code cursor}) when it is not one of ours
     *                                 (not 16 bytes of base64url, or a negative key)
     */
    public static PageCursor decode(String cursor) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            if (bytes.length != 16) {
                throw new IllegalArgumentException();
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long sortKey = buffer.getLong();
            long id = buffer.getLong();
            // every cursor this API makes holds a time since the epoch or an id, never negative; a
            // forged negative one would reach the store as an out-of-range timestamp or id
            if (sortKey < 0 || id < 0) {
                throw new IllegalArgumentException();
            }
            return new PageCursor(sortKey, id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor", "is not a cursor returned by this API");
        }
    }
}
