package io.loomas.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.codec.CodecException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Conversion of decoded wire values to declared Java types. */
class ValueConverterTest {

    enum Color { RED, GREEN }

    record Point(int x, int y) {
    }

    record Shape(String name, List<Point> points, Map<String, Color> colors) {
    }

    /** Holds fields whose generic types the tests convert to. */
    @SuppressWarnings("unused")
    private static final class Targets {
        List<Integer> ints;
        Set<Long> longs;
        Collection<Double> doubles;
        Map<Integer, Color> colorsById;
        List<? extends Number> wildcard;
        List<int[]> arrays;
        List<Point>[] genericArray;
        Map<Long, Integer> longKeys;
        Map<BigInteger, Integer> bigKeys;
        Map<Double, Integer> doubleKeys;
    }

    private static Type typeOf(String field) {
        try {
            return Targets.class.getDeclaredField(field).getGenericType();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void instanceOfTheTargetIsReturnedAsIs() {
        String text = "same";

        assertThat(ValueConverter.convert(text, String.class)).isSameAs(text);
    }

    @Test
    void wholeDoubleConvertsToInt() {
        assertThat(ValueConverter.convert(3.0, int.class)).isEqualTo(3);
    }

    @Test
    void fractionalDoubleDoesNotConvertToInt() {
        assertThatThrownBy(() -> ValueConverter.convert(3.5, int.class))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert 3.5 (Double) to int (expected: a whole number in int range)");
    }

    @Test
    void integersWidenToLongAndBigInteger() {
        assertThat(ValueConverter.convert(7, long.class)).isEqualTo(7L);
        assertThat(ValueConverter.convert(7L, BigInteger.class)).isEqualTo(BigInteger.valueOf(7));
        assertThat(ValueConverter.convert(new BigInteger("12"), Short.class)).isEqualTo((short) 12);
    }

    @Test
    void integerOutOfRangeIsRejected() {
        assertThatThrownBy(() -> ValueConverter.convert(300, byte.class))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert 300 (Integer) to byte (expected: a whole number in byte range)");
        assertThatThrownBy(() -> ValueConverter.convert(1L << 40, Integer.class))
                .hasMessageContaining("in int range");
        assertThatThrownBy(() -> ValueConverter.convert(BigInteger.TWO.pow(70), long.class))
                .hasMessageContaining("in long range");
        assertThatThrownBy(() -> ValueConverter.convert(1e19, long.class))
                .hasMessageContaining("in long range");
    }

    @Test
    void anyNumberConvertsToFloatingPoint() {
        assertThat(ValueConverter.convert(3, double.class)).isEqualTo(3.0);
        assertThat(ValueConverter.convert(2.5, float.class)).isEqualTo(2.5f);
        assertThat(ValueConverter.convert(BigInteger.TEN, Double.class)).isEqualTo(10.0);
        assertThat(ValueConverter.convert(Double.NaN, double.class)).isNaN();
    }

    @Test
    void doubleBeyondFloatRangeIsRejected() {
        assertThatThrownBy(() -> ValueConverter.convert(1e300, float.class))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert 1.0E300 (Double) to float (expected: a number within float range)");
    }

    @Test
    void numbersConvertToBigDecimal() {
        assertThat(ValueConverter.convert(0.1, BigDecimal.class)).isEqualTo(new BigDecimal("0.1"));
        assertThat(ValueConverter.convert(5, BigDecimal.class)).isEqualTo(BigDecimal.valueOf(5));
    }

    @Test
    void stringIsNotANumber() {
        assertThatThrownBy(() -> ValueConverter.convert("3", int.class))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert \"3\" (String) to int (expected: a number)");
    }

    @Test
    void nullIsRejectedForPrimitivesAndKeptOtherwise() {
        assertThatThrownBy(() -> ValueConverter.convert(null, int.class))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert null to int (expected: a non-null value for primitive int)");
        assertThat(ValueConverter.convert(null, Integer.class)).isNull();
    }

    @Test
    void stringConvertsToEnumByName() {
        assertThat(ValueConverter.convert("GREEN", Color.class)).isEqualTo(Color.GREEN);
    }

    @Test
    void unknownEnumNameListsTheConstants() {
        assertThatThrownBy(() -> ValueConverter.convert("PURPLE", Color.class))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert \"PURPLE\" (String) to io.loomas.codec.internal.ValueConverterTest$Color"
                        + " (expected: the name of one of [RED, GREEN])");
    }

    @Test
    void oneCharacterStringConvertsToChar() {
        assertThat(ValueConverter.convert("x", char.class)).isEqualTo('x');
        assertThatThrownBy(() -> ValueConverter.convert("xy", char.class)).isInstanceOf(CodecException.class);
    }

    @Test
    void listConvertsToGenericListConvertingElements() {
        Object converted = ValueConverter.convert(List.of(1.0, 2), typeOf("ints"));

        assertThat(converted).isEqualTo(List.of(1, 2));
        assertThat(converted).isInstanceOf(ArrayList.class);
    }

    @Test
    void listConvertsToSetAndCollection() {
        assertThat(ValueConverter.convert(List.of(1, 2, 2), typeOf("longs"))).isEqualTo(Set.of(1L, 2L));
        assertThat(ValueConverter.convert(List.of(1), typeOf("doubles"))).isEqualTo(List.of(1.0));
    }

    @Test
    void listConvertsToPrimitiveAndObjectArrays() {
        assertThat(ValueConverter.convert(List.of(1, 2), int[].class)).containsExactly(1, 2);
        assertThat(ValueConverter.convert(List.of(1, -2), byte[].class)).containsExactly(1, -2);
        assertThat(ValueConverter.convert(List.of("a"), String[].class)).containsExactly("a");
        assertThat(ValueConverter.convert(List.of(List.of(1)), typeOf("arrays")))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .singleElement().isEqualTo(new int[] {1});
    }

    @Test
    void listConvertsToGenericArrayOfRecords() {
        Object converted = ValueConverter.convert(List.of(List.of(Map.of("x", 1, "y", 2))), typeOf("genericArray"));

        assertThat(converted).isInstanceOf(List[].class);
        assertThat(((List<?>[]) converted)[0]).isEqualTo(List.of(new Point(1, 2)));
    }

    @Test
    void bytesStayBytes() {
        byte[] bytes = {1, 2};

        assertThat(ValueConverter.convert(bytes, byte[].class)).isSameAs(bytes);
    }

    @Test
    void elementFailureNamesItsIndex() {
        assertThatThrownBy(() -> ValueConverter.convert(List.of(1, 2.5), typeOf("ints")))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert 2.5 (Double) to java.lang.Integer at [1]"
                        + " (expected: a whole number in int range)");
    }

    @Test
    void mapConvertsKeysAndValues() {
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("1", "RED");
        wire.put("2", "GREEN");

        Object converted = ValueConverter.convert(wire, typeOf("colorsById"));

        assertThat(converted).isEqualTo(Map.of(1, Color.RED, 2, Color.GREEN));
    }

    @Test
    void badMapKeyNamesTheKey() {
        assertThatThrownBy(() -> ValueConverter.convert(Map.of("one", "RED"), typeOf("colorsById")))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert \"one\" (String) to java.lang.Integer at [\"one\"]"
                        + " (expected: a key in the text form of java.lang.Integer)");
    }

    /**
     * Regression: a 400,000-digit key for a Map<Long, ...> parameter was parsed (in time quadratic in
     * its digits) before its range was checked, holding the loop for seconds.
     */
    @Test
    void aHugeNumericKeyIsRejectedAtOnceWithoutQuotingAllOfIt() {
        Map<String, Object> wire = Map.of("9".repeat(400_000), "RED");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ValueConverter.convert(wire, typeOf("colorsById")))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("to java.lang.Integer")
                .hasMessageContaining("out of range (400000 characters)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofMillis(100));
        assertThatThrownBy(() -> ValueConverter.convert(Map.of("1".repeat(4301), 1), typeOf("bigKeys")))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("4301 characters (expected: an integer key of at most 4300 digits");
        assertThatThrownBy(() -> ValueConverter.convert(Map.of("1".repeat(801), 1), typeOf("doubleKeys")))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("801 characters");
        // Within the bounds, keys convert as before.
        assertThat(ValueConverter.convert(Map.of("-9223372036854775808", 1), typeOf("longKeys")))
                .isEqualTo(Map.of(Long.MIN_VALUE, 1));
        assertThat(ValueConverter.convert(Map.of("1".repeat(4300), 1), typeOf("bigKeys")))
                .isEqualTo(Map.of(new BigInteger("1".repeat(4300)), 1));
        assertThatThrownBy(() -> ValueConverter.convert(Map.of("9223372036854775808", 1), typeOf("longKeys")))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void mapConvertsToRecordByComponentName() {
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("name", "tri");
        wire.put("points", List.of(Map.of("x", 1, "y", 2.0)));
        wire.put("colors", Map.of("a", "RED"));

        Shape shape = ValueConverter.convert(wire, Shape.class);

        assertThat(shape).isEqualTo(new Shape("tri", List.of(new Point(1, 2)), Map.of("a", Color.RED)));
    }

    @Test
    void recordWithMissingComponentNamesIt() {
        assertThatThrownBy(() -> ValueConverter.convert(Map.of("x", 1), Point.class))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert {x=1} (Map) to io.loomas.codec.internal.ValueConverterTest$Point:"
                        + " missing component: y (expected: a map with keys [x, y])");
    }

    @Test
    void recordWithUnknownKeysNamesThem() {
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("x", 1);
        wire.put("y", 2);
        wire.put("z", 3);

        assertThatThrownBy(() -> ValueConverter.convert(wire, Point.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(": unknown keys: [z] (expected: a map with keys [x, y])");
    }

    @Test
    void nestedRecordFailureNamesThePath() {
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("name", "tri");
        wire.put("points", List.of(Map.of("x", 1, "y", "two")));
        wire.put("colors", Map.of());

        assertThatThrownBy(() -> ValueConverter.convert(wire, Shape.class))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert \"two\" (String) to int at .points[0].y (expected: a number)");
    }

    @Test
    void objectAndWildcardsAcceptAnything() {
        Object value = List.of("not a number");

        assertThat(ValueConverter.convert(value, Object.class)).isSameAs(value);
        assertThat(ValueConverter.convert(value, typeOf("wildcard"))).isEqualTo(value);
    }

    @Test
    void stringTargetRejectsOtherValues() {
        assertThatThrownBy(() -> ValueConverter.convert(5, String.class))
                .isInstanceOf(CodecException.class)
                .hasMessage("cannot convert 5 (Integer) to java.lang.String (expected: a string)");
    }

    @Test
    void unsupportedTargetNamesTheRemedy() {
        assertThatThrownBy(() -> ValueConverter.convert("x", java.time.Instant.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("register a serializer with Serializers.with(...)");
    }
}
