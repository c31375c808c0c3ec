package io.chirp.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JDK's strict decoder against RFC 3629 §3 / Unicode table 3-7, at each edge of the table. */
class StrictUtf8Test {

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', value = {
            "61 C0 AF 62        | 1 | overlong '/' in two bytes",
            "61 C1 BF           | 1 | overlong U+007F in two bytes",
            "61 E0 80 AF        | 1 | overlong '/' in three bytes",
            "E0 9F BF           | 0 | overlong U+07FF in three bytes",
            "61 F0 80 80 AF     | 1 | overlong '/' in four bytes",
            "F0 8F BF BF        | 0 | overlong U+FFFF in four bytes",
            "61 ED A0 80 62     | 1 | high surrogate U+D800",
            "ED BF BF           | 0 | low surrogate U+DFFF",
            "ED A0 BD ED B8 80  | 0 | a surrogate pair as CESU-8",
            "61 F4 90 80 80     | 1 | U+110000, above the last code point",
            "F5 80 80 80        | 0 | lead byte F5",
            "61 62 FF           | 2 | byte FF",
            "61 80              | 1 | a stray continuation byte",
            "61 E2 82           | 1 | a three-byte sequence cut short at the end",
            "61 F0 9F 98        | 1 | a four-byte sequence cut short at the end",
            "61 E2 82 22 7D     | 1 | a three-byte sequence cut short by a quote",
            "C3                 | 0 | a lone lead byte",
    })
    void illFormedSequencesAreFoundAtTheirFirstByte(String hex, long offset, String what) throws IOException {
        assertEquals(OptionalLong.of(offset), StrictUtf8.malformedAt(stream(hex(hex))), what);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "{\"text\":\"é € 😀\"}", "e\u0301", "\u202Eשלום\u202C", "\u200B\u200D\uFEFF",
            "漢字かなカナ", "👩‍👩‍👧‍👦", "\u0000\u007F"})
    void wellFormedTextIsAccepted(String text) throws IOException {
        assertEquals(OptionalLong.empty(), StrictUtf8.malformedAt(stream(text.getBytes(StandardCharsets.UTF_8))));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "C2 80          | U+0080, the first two-byte code point",
            "DF BF          | U+07FF",
            "E0 A0 80       | U+0800, the first three-byte code point",
            "ED 9F BF       | U+D7FF, just below the surrogates",
            "EE 80 80       | U+E000, just above them",
            "EF BF BF       | U+FFFF",
            "EF BB BF 7B 7D | a byte order mark",
            "F0 90 80 80    | U+10000, the first four-byte code point",
            "F4 8F BF BF    | U+10FFFF, the last code point",
    })
    void theEdgesOfTheTableAreWellFormed(String hex, String what) throws IOException {
        assertEquals(OptionalLong.empty(), StrictUtf8.malformedAt(stream(hex(hex))), what);
    }

    @Test
    void aSequenceAcrossChunksIsDecodedWhole() throws IOException {
        for (int shift = 0; shift < 4; shift++) {
            // a 4-byte emoji starting 0..3 bytes before the end of the first chunk
            byte[] body = ("a".repeat(StrictUtf8.CHUNK - 1 - shift) + "😀" + "b".repeat(100)).getBytes(StandardCharsets.UTF_8);
            assertEquals(OptionalLong.empty(), StrictUtf8.malformedAt(new ByteArrayInputStream(body)), "shift " + shift);
            assertEquals(OptionalLong.empty(), StrictUtf8.malformedAt(oneByteAtATime(body)), "shift " + shift);
        }
    }

    @Test
    void anOffsetPastTheFirstChunkCountsFromTheStart() throws IOException {
        int at = 3 * StrictUtf8.CHUNK + 5;
        byte[] body = new byte[at + 10];
        java.util.Arrays.fill(body, (byte) 'a');
        body[at] = (byte) 0xC0;
        body[at + 1] = (byte) 0xAF;
        assertEquals(OptionalLong.of(at), StrictUtf8.malformedAt(new ByteArrayInputStream(body)));
        assertEquals(OptionalLong.of(at), StrictUtf8.malformedAt(oneByteAtATime(body)));
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    private static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    /** As a socket may deliver a body: every read returns one byte, available() says nothing. */
    private static InputStream oneByteAtATime(byte[] bytes) {
        return new InputStream() {
            private int next;

            @Override
            public int read() {
                return next < bytes.length ? bytes[next++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
    }
}
