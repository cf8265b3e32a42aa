package io.loomas.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames a hostile peer makes: declared lengths far beyond the frame, and text that is not UTF-8.
 * Each must be a {@link CodecException} naming what and where, and must not allocate what it declares.
 */
class HostileInputTest {
    private static final Codec JSON = Codec.json();
    private static final Codec MSGPACK = Codec.msgpack();

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static long allocatedByThisThread(Runnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** [0, 1, X] with X a header declaring ~2 GiB, then a few bytes: about 30 bytes in all. */
    @ParameterizedTest(name = "[{0}]")
    @CsvSource({
        "bin,   c6 7fffff00, bin at byte 3 declares 2147483392 bytes",
        "str,   db 7fffff00, str at byte 3 declares 2147483392 bytes",
        "ext,   c9 7fffff00 05, ext at byte 3 declares 2147483392 bytes",
        "array, dd 7fffff00, array at byte 3 declares 2147483392 items",
        "map,   df 7fffff00, map at byte 3 declares 2147483392 entries",
    })
    void aMsgpackLengthBeyondTheFrameIsRejectedWithoutAllocatingIt(String kind, String header, String expected) {
        byte[] frame = ByteBuffer.allocate(30).put(hex("93 00 01" + header)).array();
        long allocated = allocatedByThisThread(() -> assertThatThrownBy(() -> MSGPACK.decodeMessage(frame))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("msgpack " + expected)
                .hasMessageContaining("only")
                .hasMessageContaining("bytes follow in the frame"));
        assertThat(allocated).as("bytes allocated to reject a %s declaring 2 GiB", kind).isLessThan(1 << 20);
    }

    @Test
    void aNestedMsgpackLengthBeyondTheFrameIsRejectedToo() {
        // [0, 1, ["add", {"k": bin32 of 1 GiB}]]
        byte[] frame = hex("93 00 01 92 a3 616464 81 a1 6b c6 40000000 0102");
        assertThatThrownBy(() -> MSGPACK.decode(frame))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("msgpack bin at byte 11 declares 1073741824 bytes, but only 2 bytes follow");
    }

    @Test
    void lengthsThatFitAreDecoded() {
        byte[] bin = new byte[70_000];
        bin[69_999] = 7;
        Object value = MSGPACK.decode(MSGPACK.encode(java.util.List.of("x".repeat(70_000), bin)));
        assertThat(value).asList().hasSize(2);
        assertThat((byte[]) ((java.util.List<?>) value).get(1)).hasSize(70_000).endsWith(7);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({
        "overlong slash,         c0 af, 0xC0",
        "overlong 3-byte,        e0 80 af, 0xE0",
        "lone surrogate,         ed a0 80, 0xED",
        "beyond U+10FFFF,        f4 90 80 80, 0xF4",
        "stray continuation,     80, 0x80",
        "cut-off sequence,       e2 82, 0xE2",
        "invalid lead byte,      ff, 0xFF",
    })
    void jsonThatIsNotUtf8IsRejectedNamingTheByte(String what, String bytes, String named) {
        // ["agents" + BAD + "0"] inside a request: [0, 1, "agents..."]
        byte[] head = "[0, 1, \"agents".getBytes(UTF_8);
        byte[] bad = hex(bytes);
        byte[] tail = "0\"]".getBytes(UTF_8);
        byte[] frame = ByteBuffer.allocate(head.length + bad.length + tail.length).put(head).put(bad).put(tail).array();
        assertThatThrownBy(() -> JSON.decodeMessage(frame))
                .as(what)
                .isInstanceOf(CodecException.class)
                .hasMessage("json data is not valid UTF-8: byte " + named + " at byte " + head.length
                        + " is malformed (expected: well-formed UTF-8 text)");
    }

    @Test
    void msgpackStringsThatAreNotUtf8AreRejectedNamingTheByte() {
        // [0, 1, "a" C0 AF "b"]: a fixstr of 4 bytes at byte 3
        assertThatThrownBy(() -> MSGPACK.decodeMessage(hex("93 00 01 a4 61 c0 af 62")))
                .isInstanceOf(CodecException.class)
                .hasMessage("msgpack str at byte 3 is not valid UTF-8: byte 0xC0 at byte 5 is malformed"
                        + " (expected: well-formed UTF-8 text)");
        // as a map key too
        assertThatThrownBy(() -> MSGPACK.decode(hex("81 a2 ed a0 01")))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("msgpack str at byte 1 is not valid UTF-8: byte 0xED at byte 2");
    }

    /** Python reads and writes integers of up to 4300 digits; Jackson's default stopped at 1000. */
    @Test
    void jsonIntegersOfUpTo4300DigitsDecodeAsPythonsDo() {
        String digits = "7".repeat(4300);
        byte[] frame = ("[1, 5, " + digits + "]").getBytes(UTF_8);
        Message m = JSON.decodeMessage(frame);
        assertThat(m.content()).isEqualTo(new java.math.BigInteger(digits));
        assertThat(JSON.encodeMessage(m)).isEqualTo(frame);
        assertThatThrownBy(() -> JSON.decodeMessage(("[1, 5, " + digits + "7]").getBytes(UTF_8)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("4301")
                .hasMessageContaining("4300");
    }

    /** Regression: a null key could not be encoded; Python writes {None: 1} as {"null": 1} and 81 c0 01. */
    @Test
    void aNullMapKeyIsWrittenAsPythonWritesIt() {
        java.util.Map<Object, Object> map = new java.util.LinkedHashMap<>();
        map.put(null, 1);
        assertThat(JSON.encode(map)).asString(UTF_8).isEqualTo("{\"null\": 1}");
        assertThat(MSGPACK.encode(map)).isEqualTo(hex("81 c0 01"));
    }

    /** Regression: an ext used as a map key became the key "...MessagePackExtensionType@ba". */
    @Test
    void aMsgpackExtAsAMapKeyIsRejected() {
        // {"a": {ext 5 "x": 1}}: the ext key is at byte 4
        assertThatThrownBy(() -> MSGPACK.decode(hex("81 a1 61 81 d4 05 78 01")))
                .isInstanceOf(CodecException.class)
                .hasMessage("msgpack map key at byte 4 is an ext value (expected: a string, number, boolean or nil key)");
        // an ext as a value, and keys after nested containers, are fine: {"a": [1, {"b": 2}], "c": 3}
        assertThat(MSGPACK.decode(hex("82 a1 61 92 01 81 a1 62 02 a1 63 03")))
                .isEqualTo(java.util.Map.of("a", java.util.List.of(1, java.util.Map.of("b", 2)), "c", 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "grüße", "€100", "😀 emoji", "\uD7FF\uE000\uFFFD", "\u0800\uFFFF"})
    void wellFormedTextOfEveryLengthIsAccepted(String text) {
        assertThat(JSON.decode(JSON.encode(text))).isEqualTo(text);
        assertThat(JSON.decode(("\"" + text + "\"").getBytes(UTF_8))).isEqualTo(text);
        assertThat(MSGPACK.decode(MSGPACK.encode(text))).isEqualTo(text);
    }

    /** The validator agrees with the JDK's strict decoder on every 1- and 2-byte input, all 3-byte ones from E0, and random 4-byte ones. */
    @Test
    void theValidatorAgreesWithTheJdksStrictDecoder() {
        CharsetDecoder strict = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] b = new byte[4];
        for (int x = 0; x < 256; x++) {
            b[0] = (byte) x;
            assertAgree(strict, b, 1);
            for (int y = 0; y < 256; y++) {
                b[1] = (byte) y;
                assertAgree(strict, b, 2);
                if (x >= 0xe0 && x <= 0xf4) {
                    for (int z = 0x70; z < 0xc8; z++) {
                        b[2] = (byte) z;
                        assertAgree(strict, b, 3);
                    }
                }
            }
        }
        SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 200_000; i++) {
            b[0] = (byte) (0xf0 + random.nextInt(6));
            b[1] = (byte) (0x70 + random.nextInt(0x58));
            b[2] = (byte) (0x70 + random.nextInt(0x58));
            b[3] = (byte) (0x70 + random.nextInt(0x58));
            assertAgree(strict, b, 4);
        }
    }

    private static void assertAgree(CharsetDecoder strict, byte[] b, int n) {
        boolean jdk;
        try {
            strict.reset().decode(ByteBuffer.wrap(b, 0, n));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        boolean ours = Utf8.firstMalformed(b, 0, n) < 0;
        if (ours != jdk) {
            throw new AssertionError("disagree on " + HexFormat.ofDelimiter(" ").formatHex(b, 0, n)
                    + ": JDK " + (jdk ? "valid" : "invalid") + ", ours " + (ours ? "valid" : "invalid"));
        }
    }
}
