package io.loomas.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON codec: Python's {@code json.dumps} bytes and the decoded value model. */
class JsonCodecTest {

    private static final Codec JSON = Codec.json();

    enum Color { RED, GREEN }

    record Point(int x, int y) {
    }

    private static String text(Object value) {
        return new String(JSON.encode(value), UTF_8);
    }

    private static Object decode(String text) {
        return JSON.decode(text.getBytes(UTF_8));
    }

    @Test
    void scalarsEncodeAsPythonWritesThem() {
        assertThat(text(null)).isEqualTo("null");
        assertThat(text(true)).isEqualTo("true");
        assertThat(text(42)).isEqualTo("42");
        assertThat(text(-7L)).isEqualTo("-7");
        assertThat(text((short) 3)).isEqualTo("3");
        assertThat(text((byte) -1)).isEqualTo("-1");
        assertThat(text(1.0)).isEqualTo("1.0");
        assertThat(text('c')).isEqualTo("\"c\"");
        assertThat(text(Color.GREEN)).isEqualTo("\"GREEN\"");
    }

    @Test
    void containersUsePythonSeparators() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", List.of(1, 2));
        map.put("b", Map.of());
        map.put("c", List.of());

        assertThat(text(map)).isEqualTo("{\"a\": [1, 2], \"b\": {}, \"c\": []}");
    }

    @Test
    void floatsUsePythonRepr() {
        assertThat(text(List.of(1e16, 1e-5, 0.0001, 100.0, 0.1, -0.0, 1.5e300, 5e-324)))
                .isEqualTo("[1e+16, 1e-05, 0.0001, 100.0, 0.1, -0.0, 1.5e+300, 5e-324]");
    }

    @Test
    void nanAndInfinityAreWrittenBare() {
        assertThat(text(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)))
                .isEqualTo("[NaN, Infinity, -Infinity]");
    }

    @Test
    void nanAndInfinityAreRead() {
        Object values = decode("[NaN, Infinity, -Infinity]");

        assertThat(values).isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }

    @Test
    void floatIsWrittenAsItsDoubleValue() {
        assertThat(text(0.1f)).isEqualTo("0.10000000149011612");
    }

    @Test
    void nonAsciiIsEscapedWithLowerCaseHex() {
        assertThat(text("é€😀")).isEqualTo("\"\\u00e9\\u20ac\\ud83d\\ude00\"");
    }

    @Test
    void controlCharactersUsePythonEscapes() {
        assertThat(text("\b\f\n\r\t\u001b\u007f\"\\/"))
                .isEqualTo("\"\\b\\f\\n\\r\\t\\u001b\\u007f\\\"\\\\/\"");
    }

    @Test
    void mapKeysAreEscapedToo() {
        assertThat(text(Map.of("ké", 1))).isEqualTo("{\"k\\u00e9\": 1}");
    }

    @Test
    void escapedTextDecodesToTheOriginalString() {
        String original = "é€😀\n\u0000\"";

        assertThat(JSON.decode(JSON.encode(original))).isEqualTo(original);
    }

    @Test
    void numberAndBooleanKeysAreWrittenAsText() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(1, "a");
        map.put(2.5, "b");
        map.put(true, "c");
        map.put(Color.RED, "d");

        assertThat(text(map)).isEqualTo("{\"1\": \"a\", \"2.5\": \"b\", \"true\": \"c\", \"RED\": \"d\"}");
    }

    @Test
    void keyOfUnsupportedTypeIsRejected() {
        assertThatThrownBy(() -> JSON.encode(Map.of(List.of(1), "x")))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("cannot encode map key [1] (List)")
                .hasMessageContaining("expected: a string, number, boolean or enum key");
    }

    @Test
    void bytesHaveNoJsonForm() {
        assertThatThrownBy(() -> JSON.encode(new byte[3]))
                .isInstanceOf(CodecException.class)
                .hasMessage("bytes have no JSON form: 3 bytes (expected: a JSON value); use the msgpack"
                        + " codec, or register a serializer for byte[] with Serializers.with(...)");
    }

    @Test
    void integersDecodeToTheSmallestFittingType() {
        List<?> values = (List<?>) decode("[1, 2147483648, 9223372036854775808, -9223372036854775809]");

        assertThat(values.get(0)).isEqualTo(1);
        assertThat(values.get(1)).isEqualTo(2147483648L);
        assertThat(values.get(2)).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(values.get(3)).isEqualTo(new BigInteger("-9223372036854775809"));
    }

    @Test
    void bigIntegerRoundTrips() {
        BigInteger big = BigInteger.TWO.pow(100);

        assertThat(text(big)).isEqualTo("1267650600228229401496703205376");
        assertThat(JSON.decode(JSON.encode(big))).isEqualTo(big);
    }

    @Test
    void wholeFloatStaysADouble() {
        assertThat(decode("1.0")).isEqualTo(1.0);
    }

    @Test
    void bigDecimalIsWrittenExactly() {
        assertThat(text(new BigDecimal("0.10000000000000000001"))).isEqualTo("0.10000000000000000001");
    }

    @Test
    void decodedContainersAreArrayListAndLinkedHashMapInWireOrder() {
        Object value = decode("{\"z\": [1, \"a\"], \"a\": null}");

        assertThat(value).isInstanceOf(LinkedHashMap.class);
        assertThat(List.copyOf(((Map<?, ?>) value).keySet())).isEqualTo(List.of("z", "a"));
        assertThat(((Map<?, ?>) value).get("z")).isInstanceOf(ArrayList.class);
    }

    @Test
    void collectionsAndArraysEncodeAsArrays() {
        assertThat(text(Set.of(1))).isEqualTo("[1]");
        assertThat(text(new Object[] {"a", 1})).isEqualTo("[\"a\", 1]");
        assertThat(text(new int[] {1, 2})).isEqualTo("[1, 2]");
        assertThat(text(new long[] {3})).isEqualTo("[3]");
        assertThat(text(new double[] {0.5})).isEqualTo("[0.5]");
        assertThat(text(new boolean[] {true})).isEqualTo("[true]");
        assertThat(text(new char[] {'h', 'i'})).isEqualTo("[\"h\", \"i\"]");
    }

    @Test
    void unregisteredRecordEncodesAsMapOfItsComponents() {
        assertThat(text(new Point(1, 2))).isEqualTo("{\"x\": 1, \"y\": 2}");
    }

    @Test
    void unsupportedValueIsRejectedWithRemedy() {
        assertThatThrownBy(() -> JSON.encode(List.of(new Object())))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot encode value of type java.lang.Object (expected: a JSON value,"
                        + " a record or a registered type); register it with Serializers.with(...)");
    }

    @Test
    void cyclicValueIsRejectedInsteadOfOverflowingTheStack() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);

        assertThatThrownBy(() -> JSON.encode(cycle))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("value nesting is too deep")
                .hasMessageContaining("check the value for a cycle");
    }

    @Test
    void everyValueKindRoundTrips() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("null", null);
        value.put("bool", false);
        value.put("int", Integer.MIN_VALUE);
        value.put("long", Long.MAX_VALUE);
        value.put("big", BigInteger.TEN.pow(30));
        value.put("double", 3.25);
        value.put("string", "text");
        value.put("list", List.of(1, List.of("nested")));
        value.put("map", Map.of("k", Map.of("k2", 2)));

        assertThat(JSON.decode(JSON.encode(value))).isEqualTo(value);
    }

    @Test
    void nameIsJson() {
        assertThat(JSON.name()).isEqualTo("json");
        assertThat(Codec.byName("json")).isSameAs(JSON);
    }

    @Test
    void aKeyOfAnyLengthThatLoomasWritesItAlsoReads() {
        // Jackson limits names to 50,000 characters by default; frames are bounded by the
        // transport's maximum frame size instead (CodecCorpusTest found the gap).
        Map<String, Object> longKey = Map.of("k".repeat(65_536), 1);
        assertThat(JSON.decode(JSON.encode(longKey))).isEqualTo(longKey);
    }
}
