package io.chirp.platform.sharding;

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby, SMHasher, public domain), over bytes.
 * Kept here rather than taken from a library so that the shard of every uniqueness claim can
 * never move because a dependency changed; tests pin the published test vectors.
 */
final class Murmur3 {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {
    }

    /** The 32-bit hash of {@code data} with {@code seed}, as Appleby's {@code MurmurHash3_x86_32}. */
    static int hash32(byte[] data, int seed) {
        int h = seed;
        int blocksEnd = data.length & ~3;
        for (int i = 0; i < blocksEnd; i += 4) {
            int k = (data[i] & 0xff)
                    | (data[i + 1] & 0xff) << 8
                    | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            h ^= mixK(k);
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (data.length & 3) {
            case 3:
                k ^= (data[blocksEnd + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (data[blocksEnd + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= data[blocksEnd] & 0xff;
                h ^= mixK(k);
                break;
            default:
                break;
        }
        h ^= data.length;
        return finalMix(h);
    }

    private static int mixK(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }

    private static int finalMix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
