package io.loomas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames byte for byte against a corpus, for MsgPack and for JSON: 3,000 seeded random value trees (every kind the
 * codec writes: integers at each format's edges, floats, strings of every UTF-8 width and length
 * class, bytes, nested lists, sets, arrays and maps with every kind of key, records, registered
 * types) and the frames the encoder wrote for them when the corpus was made
 * ({@code msgpack-corpus.txt} and {@code json-corpus.txt}: seed, frame length and the first 16
 * bytes of the frame's SHA-256, or the type of the failure for a value the format cannot write
 * (bytes in JSON); written by {@link #main} with the encoders of that day, which {@code GoldenFramesTest} and the
 * Python conversation tests had checked against aiomas). An encoder rewrite must write the same
 * bytes for every one.
 */
class CodecCorpusTest {
    static final int SIZE = 3000;

    record Point(int x, double y, String label) {}

    enum Color { RED, GREEN }

    /** A registered type: its data is a list. */
    record Money(long cents, String currency) {}

    static final Serializers SERIALIZERS = Serializers.NONE
            .with(Money.class, m -> List.of(m.cents(), m.currency()),
                    data -> new Money(((Number) ((List<?>) data).get(0)).longValue(), (String) ((List<?>) data).get(1)))
            .with(Point.class);

    static final Codec MSGPACK = Codec.msgpack().withSerializers(SERIALIZERS);
    static final Codec JSON = Codec.json().withSerializers(SERIALIZERS);

    private static final long[] EDGES = {0, 1, -1, 31, -31, -32, -33, 127, 128, -128, -129, 255, 256, -32768, -32769,
        65535, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE, 4294967295L, 4294967296L, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final String[] TEXT = {"", "a", "add", "agents/0/nap", "é", "ü€", "日本語", "😀", "\u0000", "tab\tnew\nline",
        "\"quoted\"", "\\", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff"};

    /** {@return the value tree of {@code seed}} */
    static Object value(long seed) {
        return value(new SplittableRandom(seed), 0);
    }

    private static Object value(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 4 ? 9 : 17);
        return switch (kind) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> (int) EDGES[r.nextInt(EDGES.length)] + r.nextInt(-2, 3);
            case 3 -> EDGES[r.nextInt(EDGES.length)] + r.nextInt(-2, 3);
            case 4 -> r.nextBoolean() ? r.nextDouble() * Math.pow(10, r.nextInt(-10, 20)) - 1e5
                    : new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 1.5}[r.nextInt(6)];
            case 5 -> string(r);
            case 6 -> {
                byte[] b = new byte[new int[] {0, 1, 255, 256, 70000}[r.nextInt(r.nextInt(10) == 0 ? 5 : 4)]];
                r.nextBytes(b);
                yield b;
            }
            case 7 -> switch (r.nextInt(6)) {
                case 0 -> (short) r.nextInt(-40000, 40000);
                case 1 -> (byte) r.nextInt(-128, 128);
                case 2 -> (float) r.nextDouble();
                case 3 -> 'x';
                case 4 -> Color.values()[r.nextInt(2)];
                default -> BigInteger.ONE.shiftLeft(63).add(BigInteger.valueOf(r.nextInt(1000)));
            };
            case 8 -> new BigDecimal("1.25");
            case 9, 10 -> {
                List<Object> list = new ArrayList<>();
                int n = size(r);
                for (int i = 0; i < n; i++) {
                    list.add(value(r, depth + 1));
                }
                yield list;
            }
            case 11 -> {
                int n = size(r);
                LinkedHashSet<Object> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(string(r));
                }
                yield set;
            }
            case 12, 13 -> {
                Map<Object, Object> map = r.nextInt(5) == 0 ? new TreeMap<>() : new LinkedHashMap<>();
                boolean sorted = map instanceof TreeMap;
                int n = size(r);
                for (int i = 0; i < n; i++) {
                    map.put(sorted ? string(r) : key(r), value(r, depth + 1));
                }
                yield map;
            }
            case 14 -> new Point(r.nextInt(), r.nextDouble(), string(r));
            case 15 -> new Money(r.nextLong(), string(r));
            default -> switch (r.nextInt(7)) {
                case 0 -> new int[] {r.nextInt(), -1, 300};
                case 1 -> new long[] {r.nextLong(), 70000L};
                case 2 -> new double[] {r.nextDouble(), 2.5};
                case 3 -> new float[] {1.5f};
                case 4 -> new short[] {(short) 7, (short) -300};
                case 5 -> new boolean[] {true, false};
                default -> new Object[] {string(r), value(r, depth + 1)};
            };
        };
    }

    private static int size(SplittableRandom r) {
        return new int[] {0, 1, 2, 3, 15, 16, 17}[r.nextInt(r.nextInt(20) == 0 ? 7 : 5)];
    }

    private static Object key(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> null;
            case 1 -> r.nextInt(-200, 70000);
            case 2 -> r.nextLong();
            case 3 -> r.nextBoolean();
            case 4 -> r.nextDouble();
            case 5 -> Color.values()[r.nextInt(2)];
            case 6 -> (short) r.nextInt(-300, 300);
            default -> string(r);
        };
    }

    private static String string(SplittableRandom r) {
        int form = r.nextInt(10);
        if (form < 5) {
            return TEXT[r.nextInt(TEXT.length)];
        }
        int length = new int[] {5, 31, 32, 255, 256, 4096, 70000}[r.nextInt(r.nextInt(8) == 0 ? 7 : 5)];
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            String piece = TEXT[r.nextInt(TEXT.length)];
            b.append(piece.isEmpty() ? "z" : piece);
        }
        return b.toString();
    }

    /** {@return the frame of {@code seed}: the value as the content of a request, or alone} */
    static byte[] frame(Codec codec, long seed) {
        Object v = value(seed);
        return seed % 3 == 0 ? codec.encode(v)
                : codec.encodeMessage(seed % 3 == 1 ? Message.request(seed, v) : Message.result("id-" + seed, v));
    }

    /** {@return the corpus line of {@code seed}, a failure's type for a value the format cannot write} */
    static String line(Codec codec, long seed) {
        try {
            return line(seed, frame(codec, seed));
        } catch (CodecException e) {
            return seed + " fails " + e.getClass().getSimpleName();
        }
    }

    /** {@return the corpus line of {@code seed}: seed, frame length, first 16 bytes of its SHA-256} */
    static String line(long seed, byte[] frame) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(frame);
            return seed + " " + frame.length + " " + HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"msgpack", "json"})
    void everyFrameOfTheCorpusIsWrittenByteForByte(String format) throws IOException {
        Codec codec = format.equals("json") ? JSON : MSGPACK;
        List<String> lines;
        try (InputStream in = CodecCorpusTest.class.getResourceAsStream(format + "-corpus.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
        assertThat(lines).hasSize(SIZE);
        int written = 0;
        for (int seed = 0; seed < SIZE; seed++) {
            String actual = line(codec, seed);
            if (!actual.equals(lines.get(seed))) {
                String frame;
                try {
                    frame = HexFormat.of().formatHex(frame(codec, seed));
                } catch (CodecException e) {
                    frame = e.toString();
                }
                throw new AssertionError("seed " + seed + ": the " + format + " frame differs from the corpus's (value "
                        + abbreviate(String.valueOf(value(seed))) + ")\n  expected " + lines.get(seed)
                        + "\n  actual   " + actual + "\n  frame " + abbreviate(frame));
            }
            if (!actual.contains(" fails ")) {
                codec.decode(frame(codec, seed)); // and it reads back
                written++;
            }
        }
        assertThat(written).as("frames written, not failures").isGreaterThan(SIZE / 2);
    }

    private static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    /** Writes a corpus with the encoder of today: {@code args[0]} the format, {@code args[1]} the file to write. */
    public static void main(String[] args) throws IOException {
        Codec codec = args[0].equals("json") ? JSON : MSGPACK;
        StringBuilder out = new StringBuilder();
        for (int seed = 0; seed < SIZE; seed++) {
            out.append(line(codec, seed)).append('\n');
        }
        Files.writeString(Path.of(args[1]), out, StandardCharsets.US_ASCII);
    }
}
