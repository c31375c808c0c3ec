package io.chirp.platform.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Published MurmurHash3_x86_32 test vectors (SMHasher / Wikipedia), plus every tail length. */
class Murmur3Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|0x00000000|0x00000000",
        "''|0x00000001|0x514E28B7",
        "''|0xFFFFFFFF|0x81F16F39",
        "test|0x00000000|0xBA6BD213",
        "Hello, world!|0x9747B28C|0x24884CBA",
        "The quick brown fox jumps over the lazy dog|0x9747B28C|0x2FA826CD",
        "a|0x00000000|0x3C2569B2",
        "ab|0x00000000|0x9BBFD75F",
        "abc|0x00000000|0xB3DD93FA",
        "abcd|0x00000000|0x43ED676A",
        "abcde|0x00000000|0xE89B9AF6",
    })
    void matchesReferenceImplementation(String input, String seed, String expected) {
        int hash = Murmur3.hash32(input.getBytes(StandardCharsets.UTF_8), Integer.parseUnsignedInt(
                seed.substring(2), 16));

        assertEquals(Integer.parseUnsignedInt(expected.substring(2), 16), hash,
                () -> Integer.toHexString(hash));
    }
}
