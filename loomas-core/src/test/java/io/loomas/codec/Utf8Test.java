package io.loomas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The validator reads runs of ASCII eight bytes at a time: it must find the same first malformed
 * byte as a byte-at-a-time reading, wherever the run starts and ends relative to those eight.
 */
class Utf8Test {
    /** Sequences to plant among ASCII: well-formed ones and each kind of malformed one. */
    private static final byte[][] PLANTED = {
        {(byte) 0xc3, (byte) 0xa9}, // é
        {(byte) 0xe2, (byte) 0x82, (byte) 0xac}, // €
        {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80}, // 😀
        {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0x80}, // a continuation byte alone
        {(byte) 0xe2, (byte) 0x82}, // cut off (malformed when followed by ASCII or the end)
        {(byte) 0xff},
    };

    @Test
    void findsTheSameFirstMalformedByteAsReadingByteByByte() {
        SplittableRandom random = new SplittableRandom(20261203);
        byte[] data = new byte[96];
        for (int round = 0; round < 200_000; round++) {
            int n = random.nextInt(data.length + 1);
            for (int i = 0; i < n; i++) {
                data[i] = (byte) (0x20 + random.nextInt(0x5f));
            }
            int plants = random.nextInt(3);
            for (int p = 0; p < plants && n > 0; p++) {
                byte[] seq = PLANTED[random.nextInt(PLANTED.length)];
                int at = random.nextInt(n);
                System.arraycopy(seq, 0, data, at, Math.min(seq.length, n - at));
            }
            int offset = n == 0 ? 0 : random.nextInt(Math.min(n, 9));
            int length = n - offset;
            assertThat(Utf8.firstMalformed(data, offset, length))
                    .as("round %d: offset %d, length %d", round, offset, length)
                    .isEqualTo(byteByByte(data, offset, length));
        }
    }

    @Test
    void longAsciiRunsEndAtTheirFirstMalformedByte() {
        byte[] data = new byte[4096];
        java.util.Arrays.fill(data, (byte) 'a');
        assertThat(Utf8.firstMalformed(data, 0, data.length)).isEqualTo(-1);
        for (int at : new int[] {0, 1, 7, 8, 9, 4087, 4088, 4095}) {
            data[at] = (byte) 0x80;
            assertThat(Utf8.firstMalformed(data, 0, data.length)).isEqualTo(at);
            assertThat(Utf8.firstMalformed(data, 1, data.length - 1)).isEqualTo(at == 0 ? -1 : at - 1);
            data[at] = 'a';
        }
    }

    /** The validator as it was before it read eight bytes at a time: one byte at a time. */
    private static int byteByByte(byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = data[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int min2;
            int max2;
            if (b >= 0xc2 && b <= 0xdf) {
                need = 1; min2 = 0x80; max2 = 0xbf;
            } else if (b == 0xe0) {
                need = 2; min2 = 0xa0; max2 = 0xbf;
            } else if (b == 0xed) {
                need = 2; min2 = 0x80; max2 = 0x9f;
            } else if (b >= 0xe1 && b <= 0xef) {
                need = 2; min2 = 0x80; max2 = 0xbf;
            } else if (b == 0xf0) {
                need = 3; min2 = 0x90; max2 = 0xbf;
            } else if (b >= 0xf1 && b <= 0xf3) {
                need = 3; min2 = 0x80; max2 = 0xbf;
            } else if (b == 0xf4) {
                need = 3; min2 = 0x80; max2 = 0x8f;
            } else {
                return i - offset;
            }
            if (end - i <= need) {
                return i - offset;
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
