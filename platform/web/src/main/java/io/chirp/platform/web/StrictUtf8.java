package io.chirp.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Strict UTF-8 well-formedness, as RFC 3629 §3 and the Unicode Standard's table 3-7
 * ("Well-Formed UTF-8 Byte Sequences") define it. Ill-formed, and so rejected: overlong forms
 * ({@code C0}, {@code C1}, {@code E0 80..9F}, {@code F0 80..8F}), encoded surrogates
 * ({@code ED A0..BF}, RFC 3629 §3 and §10), code points above U+10FFFF ({@code F4 90..BF},
 * {@code F5..FF}), stray continuation bytes and sequences cut short, also at the end of input.
 * <p>
 * The check is the JDK's own UTF-8 decoder with {@link CodingErrorAction#REPORT} for malformed
 * and unmappable input (it follows table 3-7), not a hand-written state machine. The input is
 * read in chunks of at most {@value #CHUNK} bytes, so memory stays bounded whatever its length.
 */
public final class StrictUtf8 {

    /** Bytes decoded per step; a JSON body of the API is one step or a few. */
    static final int CHUNK = 8192;

    private StrictUtf8() {
    }

    /**
     * Where {@code in} stops being well-formed UTF-8. Reads {@code in} to its end when it is
     * well-formed, up to the first ill-formed sequence otherwise; does not close it.
     *
     * @param in the bytes to check
     * @return the 0-based offset, in bytes from the start of {@code in}, of the first byte of the
     *         first ill-formed sequence (for a truncated sequence at the end: where it starts);
     *         empty when every byte belongs to a well-formed sequence (an empty input is)
     * @throws IOException when reading {@code in} fails
     */
    public static OptionalLong malformedAt(InputStream in) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int size = Math.max(16, Math.min(CHUNK, in.available()));
        // heap buffers: the decoder's fast path works on their backing arrays
        ByteBuffer bytes = ByteBuffer.allocate(size);
        CharBuffer chars = CharBuffer.allocate(size);
        long before = 0; // bytes consumed before bytes[0]
        while (true) {
            int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
            boolean end = read < 0;
            if (!end) {
                bytes.position(bytes.position() + read);
            }
            bytes.flip();
            CoderResult result;
            do {
                chars.clear();
                result = decoder.decode(bytes, chars, end);
            } while (result.isOverflow());
            if (result.isError()) {
                return OptionalLong.of(before + bytes.position());
            }
            if (end) {
                return OptionalLong.empty();
            }
            // what is left (at most 3 bytes) is the start of a sequence the next chunk completes
            before += bytes.position();
            bytes.compact();
        }
    }
}
