package io.chirp.search.api;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;

import io.chirp.platform.web.InvalidRequestException;
import io.chirp.search.domain.SortKey;

/**
 * The opaque cursor of a tweet search: the sort values of the last tweet of a page
 * ({@code search_after} on {@code [_score, createdAt, id]}) in 25 bytes of unpadded base64url —
 * a format byte, the score, the creation time, the id and a CRC-32 of the rest. The checksum
 * catches a mangled or made-up cursor (answered 400, naming {@code cursor}); it is not a
 * signature, and needs none: a cursor only positions a page of public data.
 */
final class SearchCursor {

    private static final byte FORMAT = 1;
    private static final int LENGTH = 1 + 4 + 8 + 8 + 4;

    private SearchCursor() {
    }

    static String encode(SortKey key) {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH).put(FORMAT).putFloat(key.score())
                .putLong(key.createdAtMillis()).putLong(key.id());
        buffer.putInt((int) checksum(buffer.array()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /** @throws InvalidRequestException naming {@code cursor} when it is not one this API returned */
    static SortKey decode(String cursor) {
        try {
            if (cursor.length() > 64) {
                throw new IllegalArgumentException("too long");
            }
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            if (bytes.length != LENGTH) {
                throw new IllegalArgumentException("wrong length");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            byte format = buffer.get();
            float score = buffer.getFloat();
            long createdAt = buffer.getLong();
            long id = buffer.getLong();
            int check = buffer.getInt();
            if (format != FORMAT || check != (int) checksum(bytes) || !Float.isFinite(score) || score < 0 || id <= 0) {
                throw new IllegalArgumentException("not ours");
            }
            return new SortKey(score, createdAt, id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor", "is not a cursor returned by this API");
        }
    }

    private static long checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, LENGTH - 4);
        return crc.getValue();
    }
}
