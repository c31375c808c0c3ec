package io.chirp.search.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.chirp.platform.web.InvalidRequestException;
import io.chirp.platform.web.PageCursor;
import io.chirp.search.domain.SortKey;

class SearchCursorTest {

    @Test
    void roundTripsTheSortValuesExactly() {
        SortKey key = new SortKey(6.0f, 1_795_000_000_123L, 7212331912345600001L);
        String cursor = SearchCursor.encode(key);
        assertEquals(key, SearchCursor.decode(cursor));
        assertEquals(34, cursor.length(), "25 bytes, unpadded base64url");
    }

    @Test
    void refusesAnythingElseNamingTheCursor() {
        String good = SearchCursor.encode(new SortKey(2.5f, 1L, 2L));
        for (String bad : new String[] {"", "x", "!!!!", good + "A", good.substring(1), new PageCursor(1, 2).encode(),
                good.substring(0, 5) + (good.charAt(5) == 'A' ? 'B' : 'A') + good.substring(6),
                SearchCursor.encode(new SortKey(Float.NaN, 1L, 2L)), SearchCursor.encode(new SortKey(1f, 1L, -2L))}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> SearchCursor.decode(bad), bad);
            assertEquals("cursor", e.field());
        }
    }
}
