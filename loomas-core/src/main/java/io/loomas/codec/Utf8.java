package io.loomas.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation without decoding. Jackson's JSON parser accepts overlong forms (such as
 * {@code C0 AF} for {@code /}) and encoded surrogates, and msgpack-java replaces malformed string
 * bytes with U+FFFD; both would let a peer smuggle text past a check, so frames are validated
 * first. Hand-written because the JDK validates only by decoding, which allocates on every frame.
 */
final class Utf8 {
    /** Eight bytes at a time, for runs of ASCII (most of a JSON frame): none has its top bit set. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long TOP_BITS = 0x8080808080808080L;

    private Utf8() {}

    /**
     * {@return the offset of the first byte of {@code length} bytes at {@code offset} that is not
     * well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or
     * {@code -1} if all are}
     */
    static int firstMalformed(byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            while (end - i >= 8 && ((long) LONGS.get(data, i) & TOP_BITS) == 0) {
                i += 8;
            }
            if (i == end) {
                break;
            }
            int b = data[i];
            if (b >= 0) { // ASCII
                i++;
                continue;
            }
            b &= 0xff;
            int need;
            int min2; // the smallest allowed second byte
            int max2; // the largest allowed second byte
            if (b >= 0xc2 && b <= 0xdf) {
                need = 1;
                min2 = 0x80;
                max2 = 0xbf;
            } else if (b == 0xe0) {
                need = 2;
                min2 = 0xa0; // below: overlong
                max2 = 0xbf;
            } else if (b == 0xed) {
                need = 2;
                min2 = 0x80;
                max2 = 0x9f; // above: a surrogate
            } else if (b >= 0xe1 && b <= 0xef) {
                need = 2;
                min2 = 0x80;
                max2 = 0xbf;
            } else if (b == 0xf0) {
                need = 3;
                min2 = 0x90; // below: overlong
                max2 = 0xbf;
            } else if (b >= 0xf1 && b <= 0xf3) {
                need = 3;
                min2 = 0x80;
                max2 = 0xbf;
            } else if (b == 0xf4) {
                need = 3;
                min2 = 0x80;
                max2 = 0x8f; // above: beyond U+10FFFF
            } else {
                return i - offset; // a continuation byte out of place, C0/C1 (overlong) or F5..FF
            }
            if (end - i <= need) {
                return i - offset; // the sequence is cut off
            }
            int second = data[i + 1] & 0xff;
            if (second < min2 || second > max2) {
                return i - offset;
            }
            for (int k = 2; k <= need; k++) {
                if ((data[i + k] & 0xc0) != 0x80) {
                    return i - offset;
                }
            }
            i += need + 1;
        }
        return -1;
    }
}
