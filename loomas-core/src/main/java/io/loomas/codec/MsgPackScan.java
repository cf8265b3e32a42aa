package io.loomas.codec;

import java.io.IOException;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * A pass over a MsgPack frame before it is parsed. msgpack-java allocates a str, bin or ext payload
 * as soon as it reads its header, so a 30-byte frame declaring a 2 GiB payload would take 2 GiB;
 * and it replaces malformed string bytes with U+FFFD. This pass reads headers only, checks each
 * declared length against the bytes left in the frame and each string's UTF-8, and allocates
 * nothing. Input that is malformed in other ways is left for the parser to report.
 */
final class MsgPackScan {
    private MsgPackScan() {}

    /**
     * @throws CodecException if a declared length exceeds the bytes left in the frame, or a string
     *     is not well-formed UTF-8; the message names the byte offset
     */
    static void check(byte[] data, int offset, int length) {
        // Items left in each open container, and whether it is a map, innermost last: to know
        // which items are map keys. Grows with the nesting, which the bytes bound.
        long[] left = new long[8];
        boolean[] isMap = new boolean[8];
        int depth = 0;
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(data, offset, length)) {
            while (in.hasNext()) {
                long at = in.getTotalReadBytes();
                while (depth > 0 && left[depth - 1] == 0) {
                    depth--;
                }
                boolean key = depth > 0 && isMap[depth - 1] && left[depth - 1] % 2 == 0;
                if (depth > 0) {
                    left[depth - 1]--;
                }
                org.msgpack.value.ValueType type = in.getNextFormat().getValueType();
                if (key && type == org.msgpack.value.ValueType.EXTENSION) {
                    throw new CodecException("msgpack map key at byte " + at + " is an ext value"
                            + " (expected: a string, number or boolean key)");
                }
                if (type == org.msgpack.value.ValueType.ARRAY || type == org.msgpack.value.ValueType.MAP) {
                    if (depth == left.length) {
                        left = java.util.Arrays.copyOf(left, 2 * depth);
                        isMap = java.util.Arrays.copyOf(isMap, 2 * depth);
                    }
                }
                switch (type) {
                    case STRING -> {
                        int n = in.unpackRawStringHeader();
                        int start = fits(n, "str", at, in, length);
                        int bad = Utf8.firstMalformed(data, offset + start, n);
                        if (bad >= 0) {
                            throw new CodecException("msgpack str at byte " + at + " is not valid UTF-8: byte 0x"
                                    + String.format("%02X", data[offset + start + bad] & 0xff) + " at byte "
                                    + (start + bad) + " is malformed (expected: well-formed UTF-8 text)");
                        }
                        in.readPayloadAsReference(n);
                    }
                    case BINARY -> {
                        int n = in.unpackBinaryHeader();
                        fits(n, "bin", at, in, length);
                        in.readPayloadAsReference(n);
                    }
                    case EXTENSION -> {
                        ExtensionTypeHeader h = in.unpackExtensionTypeHeader();
                        fits(h.getLength(), "ext", at, in, length);
                        in.readPayloadAsReference(h.getLength());
                    }
                    // Every element takes at least one byte.
                    case ARRAY -> {
                        int n = in.unpackArrayHeader();
                        fits(n, "array", at, in, length);
                        left[depth] = n;
                        isMap[depth++] = false;
                    }
                    case MAP -> {
                        long n = 2L * in.unpackMapHeader();
                        fits(n, "map", at, in, length);
                        left[depth] = n;
                        isMap[depth++] = true;
                    }
                    default -> in.skipValue();
                }
            }
        } catch (IOException | MessagePackException e) {
            // truncated or malformed: the parser says so, with its own message
        }
    }

    /** {@return the offset where the payload starts} if {@code declared} bytes are left, else throws */
    private static int fits(long declared, String what, long at, MessageUnpacker in, int length) {
        long start = in.getTotalReadBytes();
        long left = length - start;
        if (declared > left) {
            String unit = what.equals("array") || what.equals("map") ? " items" : " bytes";
            throw new CodecException("msgpack " + what + " at byte " + at + " declares "
                    + (what.equals("map") ? declared / 2 + " entries" : declared + unit) + ", but only " + left
                    + " bytes follow in the frame (expected: a length within the frame)");
        }
        return (int) start;
    }
}
