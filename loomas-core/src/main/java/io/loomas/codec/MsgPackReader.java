package io.loomas.codec;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * A reader of MsgPack values into the decoded value model, on msgpack-core's unpacker. Written by
 * hand instead of going through msgpack-jackson's parser, because that parser hands every map key
 * over as text (the integer key {@code 7} as {@code "7"}), loses its footing on a nil key, trusts
 * declared lengths (a 30-byte frame declaring a 2 GiB bin allocated 2 GiB) and replaces malformed
 * UTF-8 with U+FFFD. Here map keys keep their types as Python's msgpack keeps them (string,
 * integer, float, boolean, nil), every declared length is checked against the bytes left before
 * anything is allocated, and strings must be well-formed UTF-8.
 *
 * <p>Not thread-safe: one instance serves one decoding call.
 */
final class MsgPackReader implements AutoCloseable {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final byte[] data;
    private final int offset;
    private final int length;
    private final MessageUnpacker in;
    private final Serializers serializers;

    MsgPackReader(byte[] data, int offset, int length, Serializers serializers) {
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.in = MessagePack.newDefaultUnpacker(data, offset, length);
        this.serializers = serializers;
    }

    /** {@return how many bytes were read} */
    long position() {
        return in.getTotalReadBytes();
    }

    /** {@return the type of the next value}, failing if the input ends first */
    ValueType peek(String expected) throws IOException {
        if (!in.hasNext()) {
            throw new CodecException("msgpack data is truncated: input ends at byte " + position()
                    + " (expected: " + expected + ")");
        }
        return in.getNextFormat().getValueType();
    }

    /** {@return whether the next value is an integer} */
    boolean nextIsInteger() throws IOException {
        return in.hasNext() && in.getNextFormat().getValueType() == ValueType.INTEGER;
    }

    /** {@return the size of the array that comes next, checked against the bytes left} */
    int arrayHeader() throws IOException {
        long at = position();
        int n = in.unpackArrayHeader();
        fits(n, "array", at);
        return n;
    }

    /** Reads one value. */
    Object read(int depth) throws IOException {
        long at = position();
        MessageFormat format = in.getNextFormat();
        switch (format.getValueType()) {
            case NIL -> {
                in.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return in.unpackBoolean();
            }
            case INTEGER -> {
                return integer();
            }
            case FLOAT -> {
                return in.unpackDouble();
            }
            case STRING -> {
                return string(at);
            }
            case BINARY -> {
                int n = in.unpackBinaryHeader();
                fits(n, "bin", at);
                return in.readPayload(n);
            }
            case ARRAY -> {
                enter(depth);
                int n = in.unpackArrayHeader();
                fits(n, "array", at);
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(read(depth + 1));
                }
                return list;
            }
            case MAP -> {
                enter(depth);
                int n = in.unpackMapHeader();
                fits(2L * n, "map", at);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object key = key();
                    map.put(key, read(depth + 1));
                }
                if (map.size() == 1 && map.containsKey(ValueWriter.TYPE_KEY)) {
                    return ValueReader.decodeTyped(map.get(ValueWriter.TYPE_KEY), serializers);
                }
                return map;
            }
            case EXTENSION -> {
                ExtensionTypeHeader h = in.unpackExtensionTypeHeader();
                fits(h.getLength(), "ext", at);
                throw new CodecException("msgpack data holds an unsupported value: ext type " + h.getType() + " of "
                        + h.getLength() + " bytes at byte " + at + " (expected: no MsgPack extension types)");
            }
            default -> throw new CodecException("msgpack data is malformed: unexpected " + format + " at byte " + at
                    + " (expected: a value)");
        }
    }

    /** {@return a map key: a string, integer, float, boolean or nil, as Python's msgpack keeps it} */
    private Object key() throws IOException {
        long at = position();
        ValueType type = peek("a map key");
        return switch (type) {
            case STRING, INTEGER, FLOAT, BOOLEAN, NIL -> read(0);
            default -> {
                String what = type == ValueType.EXTENSION ? "an ext value" : type == ValueType.BINARY ? "binary"
                        : type == ValueType.ARRAY ? "an array" : "a map";
                throw new CodecException("msgpack map key at byte " + at + " is " + what
                        + " (expected: a string, number, boolean or nil key)");
            }
        };
    }

    /** {@return the integer that comes next, as Integer, Long or BigInteger, whichever is smallest} */
    Number integer() throws IOException {
        MessageFormat format = in.getNextFormat();
        if (format == MessageFormat.UINT64) {
            BigInteger big = in.unpackBigInteger();
            if (big.compareTo(LONG_MAX) > 0) {
                return big;
            }
            return narrow(big.longValue());
        }
        return narrow(in.unpackLong());
    }

    private static Number narrow(long l) {
        return (int) l == l ? (Number) (int) l : (Number) l;
    }

    private String string(long at) throws IOException {
        int n = in.unpackRawStringHeader();
        fits(n, "str", at);
        int start = offset + (int) position();
        int bad = Utf8.firstMalformed(data, start, n);
        if (bad >= 0) {
            throw new CodecException("msgpack str at byte " + at + " is not valid UTF-8: byte 0x"
                    + String.format("%02X", data[start + bad] & 0xff) + " at byte " + (start - offset + bad)
                    + " is malformed (expected: well-formed UTF-8 text)");
        }
        in.readPayloadAsReference(n); // skips the bytes without copying them
        return new String(data, start, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Checks that {@code declared} bytes (or items, each at least a byte) are left in the frame. */
    private void fits(long declared, String what, long at) {
        long left = length - position();
        if (declared > left) {
            String amount = what.equals("map") ? declared / 2 + " entries"
                    : declared + (what.equals("array") ? " items" : " bytes");
            throw new CodecException("msgpack " + what + " at byte " + at + " declares " + amount + ", but only "
                    + left + " bytes follow in the frame (expected: a length within the frame)");
        }
    }

    private static void enter(int depth) {
        if (depth >= ValueWriter.MAX_DEPTH) {
            throw new CodecException("msgpack data is nested too deeply: more than " + ValueWriter.MAX_DEPTH
                    + " levels (expected: at most " + ValueWriter.MAX_DEPTH + ")");
        }
    }

    /**
     * Checks that the whole input was read.
     *
     * @throws CodecException if bytes follow the value
     */
    void expectEnd() {
        long consumed = position();
        if (consumed != length) {
            throw new CodecException("msgpack data has trailing content: " + (length - consumed)
                    + " bytes after byte " + consumed + " (expected: exactly one MsgPack value)");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
