package io.loomas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MsgPack codec: str vs bin, float64, smallest ints and the decoded value model. */
class MsgPackCodecTest {

    private static final Codec MSGPACK = Codec.msgpack();

    record Point(int x, int y) {
    }

    private static String hex(Object value) {
        return HexFormat.of().formatHex(MSGPACK.encode(value));
    }

    @Test
    void stringIsWrittenAsStr() {
        assertThat(hex("ab")).isEqualTo("a26162");
    }

    @Test
    void bytesAreWrittenAsBinAndReadBack() {
        assertThat(hex(new byte[] {1, 2})).isEqualTo("c4020102");
        assertThat(MSGPACK.decode(HexFormat.of().parseHex("c4020102"))).isEqualTo(new byte[] {1, 2});
    }

    @Test
    void strDecodesToStringNotBytes() {
        assertThat(MSGPACK.decode(HexFormat.of().parseHex("a26162"))).isEqualTo("ab");
    }

    @Test
    void floatIsWrittenAsFloat64() {
        assertThat(hex(1.5f)).isEqualTo("cb3ff8000000000000");
        assertThat(hex(1.5)).isEqualTo("cb3ff8000000000000");
    }

    @Test
    void float32InputDecodesToDouble() {
        assertThat(MSGPACK.decode(HexFormat.of().parseHex("ca3fc00000"))).isEqualTo(1.5);
    }

    @Test
    void integersUseTheSmallestEncoding() {
        assertThat(hex(5L)).isEqualTo("05");
        assertThat(hex(-1)).isEqualTo("ff");
        assertThat(hex(200)).isEqualTo("ccc8");
        assertThat(hex(70000L)).isEqualTo("ce00011170");
    }

    @Test
    void integersDecodeToTheSmallestFittingType() {
        assertThat(MSGPACK.decode(HexFormat.of().parseHex("d30000000000000005"))).isEqualTo(5);
        assertThat(MSGPACK.decode(MSGPACK.encode(1L << 40))).isEqualTo(1L << 40);
        BigInteger maxUnsigned = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
        assertThat(MSGPACK.decode(MSGPACK.encode(maxUnsigned))).isEqualTo(maxUnsigned);
    }

    @Test
    void integerBeyond64BitsIsRejected() {
        assertThatThrownBy(() -> MSGPACK.encode(BigInteger.TWO.pow(64)))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("integer is out of MsgPack range: 18446744073709551616");
    }

    @Test
    void bigDecimalIsWrittenAsDouble() {
        assertThat(MSGPACK.decode(MSGPACK.encode(new BigDecimal("2.5")))).isEqualTo(2.5);
    }

    /** Regression: keys came back as text ("7", "true"); Python's msgpack keeps their types, and so does loomas now. */
    @Test
    void nonStringKeysKeepTheirTypesAsPythonsMsgpackKeepsThem() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(7, "a");
        map.put(true, "b");
        map.put(1.5, "c");
        map.put(null, "d");
        map.put("7", "e");

        assertThat(hex(map)).isEqualTo("8507a161c3a162cb3ff8000000000000a163c0a164a137a165");
        assertThat(MSGPACK.decode(MSGPACK.encode(map))).isEqualTo(map);
        assertThat(MSGPACK.decode(java.util.HexFormat.of().parseHex("81cfffffffffffffffff01")))
                .isEqualTo(Map.of(new java.math.BigInteger("18446744073709551615"), 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MSGPACK.decode(java.util.HexFormat.of().parseHex("81910101")))
                .isInstanceOf(CodecException.class)
                .hasMessage("msgpack map key at byte 1 is an array (expected: a string, number, boolean or nil key)");
    }

    @Test
    void nanAndInfinityRoundTrip() {
        List<Double> values = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);

        assertThat(MSGPACK.decode(MSGPACK.encode(values))).isEqualTo(values);
    }

    @Test
    void unregisteredRecordEncodesAsMapOfItsComponents() {
        assertThat(MSGPACK.decode(MSGPACK.encode(new Point(1, 2)))).isEqualTo(Map.of("x", 1, "y", 2));
    }

    @Test
    void everyValueKindRoundTrips() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("null", null);
        value.put("bool", true);
        value.put("int", Integer.MIN_VALUE);
        value.put("long", Long.MIN_VALUE);
        value.put("double", -3.25);
        value.put("string", "é€😀");
        value.put("list", List.of(1, List.of("nested")));
        value.put("map", Map.of("k", Map.of("k2", 2)));

        assertThat(MSGPACK.decode(MSGPACK.encode(value))).isEqualTo(value);
    }

    /** A collection and a map whose size() says more than they hold, as one changed by another thread might. */
    private static final java.util.Collection<Object> SHRUNK_LIST = new java.util.AbstractCollection<>() {
        @Override
        public java.util.Iterator<Object> iterator() {
            return List.<Object>of("a", "b").iterator();
        }

        @Override
        public int size() {
            return 5;
        }
    };

    @Test
    void aContainerHeaderStatesTheElementsWrittenEvenIfSizeSaysOtherwise() {
        Map<String, Object> shrunk = new java.util.AbstractMap<>() {
            @Override
            public java.util.Set<Map.Entry<String, Object>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public java.util.Iterator<Map.Entry<String, Object>> iterator() {
                        return List.<Map.Entry<String, Object>>of(Map.entry("k", SHRUNK_LIST)).iterator();
                    }

                    @Override
                    public int size() {
                        return 3;
                    }
                };
            }
        };
        assertThat(MSGPACK.decode(MSGPACK.encode(shrunk))).isEqualTo(Map.of("k", List.of("a", "b")));
    }

    @Test
    void nameIsMsgpack() {
        assertThat(MSGPACK.name()).isEqualTo("msgpack");
        assertThat(Codec.byName("msgpack")).isSameAs(MSGPACK);
    }

    @Test
    void unknownCodecNameListsTheKnownNames() {
        assertThatThrownBy(() -> Codec.byName("cbor"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown codec name: cbor (expected: json or msgpack)");
    }
}
