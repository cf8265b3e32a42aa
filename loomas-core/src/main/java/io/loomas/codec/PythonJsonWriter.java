package io.loomas.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON exactly as Python's {@code json.dumps} writes it with its defaults: separators
 * {@code ", "} and {@code ": "}; strings with {@code ensure_ascii}, that is {@code \"},
 * {@code \\}, {@code \b}, {@code \f}, {@code \n}, {@code \r}, {@code \t} and {@code \u005Cu} with
 * four lower-case hex digits for every other UTF-16 unit outside printable ASCII (so a character
 * beyond the BMP is two escaped surrogates); floats as {@code repr} writes them
 * ({@link PythonFloats}), {@code NaN} and {@code Infinity} included.
 *
 * <p>Written by hand rather than on Jackson's generator: Jackson produces these bytes only through
 * a pretty printer and custom character escapes, whose per-character loop and per-message
 * generator cost a client more than the rest of its JSON work; this writes ASCII into one array.
 * {@code CodecCorpusTest} holds it to Jackson's output for 3,000 frames.
 *
 * <p>Not thread-safe: one instance writes one frame.
 */
final class PythonJsonWriter implements ValueWriter.Out {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private byte[] buf = new byte[128];
    private int pos;
    /** Per open container: whether the next element is its first. */
    private boolean[] first = new boolean[16];
    /** A string's characters, copied out in bulk for the escaping loop. */
    private int depth; // open containers
    private boolean afterKey; // a key was written: its value follows without a separator

    /** {@return the bytes written} */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void room(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private void put(byte b) {
        room(1);
        buf[pos++] = b;
    }

    private void put(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /** ASCII text: numbers, as their {@code toString} writes them. */
    private void putAscii(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    /** The separator before a value or a key: none for the first element or after a key. */
    private void beforeElement() {
        if (afterKey) {
            afterKey = false;
        } else if (depth > 0) {
            if (first[depth - 1]) {
                first[depth - 1] = false;
            } else {
                room(2);
                buf[pos++] = ',';
                buf[pos++] = ' ';
            }
        }
    }

    private void open(byte bracket) {
        beforeElement();
        put(bracket);
        if (depth == first.length) {
            first = Arrays.copyOf(first, depth * 2);
        }
        first[depth++] = true;
    }

    private void close(byte bracket) {
        depth--;
        put(bracket);
    }

    @Override
    public void nil() {
        beforeElement();
        put(NULL);
    }

    @Override
    public void bool(boolean b) {
        beforeElement();
        put(b ? TRUE : FALSE);
    }

    @Override
    public void integer(long l) {
        beforeElement();
        putAscii(Long.toString(l));
    }

    @Override
    public void bigInteger(BigInteger big) {
        beforeElement();
        putAscii(big.toString());
    }

    @Override
    public void floating(double d) {
        beforeElement();
        putAscii(PythonFloats.repr(d));
    }

    @Override
    public void decimal(BigDecimal d) {
        beforeElement();
        putAscii(d.toString());
    }

    @Override
    public void string(String s) {
        beforeElement();
        quoted(s);
    }

    private void quoted(String s) {
        int n = s.length();
        room(n + 2);
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        int i = 0;
        while (i < n && isPlain(s.charAt(i))) {
            i++;
        }
        copyAscii(s, i, b, p); // the plain prefix, often the whole string, in one copy
        p += i;
        while (i < n) {
            char c = s.charAt(i);
            if (isPlain(c)) {
                b[p++] = (byte) c; // room for every plain character was made above
                i++;
                continue;
            }
            pos = p;
            room(6 + (n - i));
            b = buf;
            p = pos;
            switch (c) {
                case '"' -> p = escape(b, p, '"');
                case '\\' -> p = escape(b, p, '\\');
                case '\b' -> p = escape(b, p, 'b');
                case '\f' -> p = escape(b, p, 'f');
                case '\n' -> p = escape(b, p, 'n');
                case '\r' -> p = escape(b, p, 'r');
                case '\t' -> p = escape(b, p, 't');
                default -> {
                    b[p++] = '\\';
                    b[p++] = 'u';
                    b[p++] = HEX[(c >> 12) & 0xf];
                    b[p++] = HEX[(c >> 8) & 0xf];
                    b[p++] = HEX[(c >> 4) & 0xf];
                    b[p++] = HEX[c & 0xf];
                }
            }
            i++;
        }
        pos = p;
        put((byte) '"');
    }

    private static boolean isPlain(char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    }

    /**
     * Copies the first {@code n} characters of {@code s}, all printable ASCII, as bytes. The
     * deprecated {@code getBytes} keeps each character's low byte, which for ASCII is the character;
     * on a compact (Latin-1) string it is one array copy.
     */
    @SuppressWarnings("deprecation")
    private static void copyAscii(String s, int n, byte[] b, int p) {
        s.getBytes(0, n, b, p);
    }

    private static int escape(byte[] b, int p, char c) {
        b[p] = '\\';
        b[p + 1] = (byte) c;
        return p + 2;
    }

    @Override
    public void binary(byte[] bytes) {
        throw new CodecException("bytes have no JSON form: " + bytes.length
                + " bytes (expected: a JSON value); use the msgpack codec,"
                + " or register a serializer for byte[] with Serializers.with(...)");
    }

    @Override
    public void startArray(int size) {
        open((byte) '[');
    }

    @Override
    public void endArray() {
        close((byte) ']');
    }

    @Override
    public void startMap(int size) {
        open((byte) '{');
    }

    @Override
    public void endMap() {
        close((byte) '}');
    }

    @Override
    public void key(Object key) {
        beforeElement();
        // As Python writes {None: 1, 2.5: 2, True: 3}: {"null": 1, "2.5": 2, "true": 3}.
        quoted(key == null ? "null" : key instanceof Double d ? PythonFloats.repr(d) : key.toString());
        room(2);
        buf[pos++] = ':';
        buf[pos++] = ' ';
        afterKey = true;
    }
}
