package io.loomas.bench;

import java.util.Arrays;

/** The two request shapes every throughput table has: a tiny {@code add(int, int)} and a 4 KiB echo. */
enum Payload {
    /** {@code add(int, int)}: two small ints out, one back. */
    ADD("add(int,int)"),
    /** A 4 KiB value out and the same back. */
    ECHO_4K("4 KiB echo");

    static final int SIZE_4K = 4096;

    final String label;

    Payload(String label) {
        this.label = label;
    }

    /** {@return the bytes the codec-free peers send for this payload} */
    byte[] bytes() {
        if (this == ADD) {
            return new byte[] {0, 0, 0, 3, 0, 0, 0, 4};
        }
        byte[] b = new byte[SIZE_4K];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    /** {@return the 4 KiB string loomas sends (ASCII, so 4096 bytes inside the codec's quotes)} */
    static String text4k() {
        return "x".repeat(SIZE_4K);
    }
}
