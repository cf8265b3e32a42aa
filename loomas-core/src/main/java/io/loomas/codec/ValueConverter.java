package io.loomas.codec;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A converter from decoded wire values to declared Java types, for example from a decoded
 * {@code List<Object>} of {@code Integer}s to a parameter's {@code long[]}.
 *
 * <p>Decoded values are {@code null}, {@code Boolean}, {@code Integer}, {@code Long},
 * {@code BigInteger}, {@code Double}, {@code String}, {@code byte[]}, {@code List} and
 * {@code Map} (plus registered types). The conversions are:
 * <ul>
 *   <li>identity when the value already is an instance of the raw target type (generic element
 *       types are still converted for collections, maps and arrays);</li>
 *   <li>any number to any primitive or boxed numeric type, {@code BigInteger} or
 *       {@code BigDecimal}, with range checks and no silent truncation: {@code 3.0} converts to
 *       {@code int}, {@code 3.5} does not; {@code float} and {@code double} targets take any
 *       number that stays finite;</li>
 *   <li>a string to an enum constant by name, and a one-character string to {@code char};</li>
 *   <li>an {@code OffsetDateTime} (how aiomas' datetime arrives) to {@code Instant} or
 *       {@code ZonedDateTime};</li>
 *   <li>a list to {@code List<E>}, {@code Collection<E>}, {@code Iterable<E>}, {@code Set<E>},
 *       {@code SortedSet<E>} and their usual implementations, and to arrays (primitive arrays
 *       included), converting each element;</li>
 *   <li>a map to {@code Map<K, V>} (and {@code HashMap}, {@code LinkedHashMap},
 *       {@code SortedMap}, {@code TreeMap}), converting keys and values; string keys convert to
 *       numeric and boolean key types by parsing, since JSON keys are always strings;</li>
 *   <li>a map to a record, by component name, each value converted to the component's declared
 *       type; a missing component or an unknown key is an error;</li>
 *   <li>anything to {@code Object}, a wildcard or a type variable (type variables are not
 *       resolved).</li>
 * </ul>
 * {@code null} converts to {@code null} for every non-primitive target.
 *
 * <p>Thread-safe (stateless).
 */
public final class ValueConverter {

    private ValueConverter() {
    }

    /**
     * Converts {@code value} to the class {@code target}.
     *
     * @param <T> the target type
     * @param value a decoded value; may be {@code null}
     * @param target the class to convert to; a primitive class yields its boxed value
     * @return the converted value; {@code null} only if {@code value} is {@code null}
     * @throws CodecException if {@code value} cannot be converted to {@code target}, naming the
     *     value, the target, the place within the value and the rule
     */
    @SuppressWarnings("unchecked")
    public static <T> T convert(Object value, Class<T> target) {
        return (T) convert(value, (Type) target);
    }

    /**
     * Converts {@code value} to the generic type {@code target}, such as a method parameter's
     * {@link java.lang.reflect.Method#getGenericParameterTypes() declared type}.
     *
     * @param value a decoded value; may be {@code null}
     * @param target the type to convert to: a class, parameterized type, generic array type,
     *     wildcard or type variable
     * @return the converted value; {@code null} only if {@code value} is {@code null}
     * @throws CodecException if {@code value} cannot be converted to {@code target}, naming the
     *     value, the target, the place within the value and the rule
     */
    public static Object convert(Object value, Type target) {
        Objects.requireNonNull(target, "target");
        try {
            return to(value, target);
        } catch (Failure failure) {
            throw new CodecException(failure.describe());
        }
    }

    private static Object to(Object value, Type target) {
        if (target instanceof Class<?> type) {
            return toClass(value, type, target);
        }
        if (target instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (value != null && Map.class.isAssignableFrom(raw) && args.length == 2) {
                return toMap(value, raw, args[0], args[1], target);
            }
            if (value != null && Iterable.class.isAssignableFrom(raw) && args.length == 1) {
                return toCollection(value, raw, args[0], target);
            }
            return toClass(value, raw, target);
        }
        if (target instanceof GenericArrayType array) {
            if (value == null) {
                return null;
            }
            Type component = array.getGenericComponentType();
            return toArray(value, rawClass(component), component, target);
        }
        if (target instanceof WildcardType || target instanceof TypeVariable<?>) {
            return value;
        }
        throw new IllegalArgumentException("unsupported target type: " + target
                + " (expected: a Class, ParameterizedType, GenericArrayType, WildcardType or TypeVariable)");
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType a) {
            return rawClass(a.getGenericComponentType()).arrayType();
        }
        return Object.class;
    }

    private static Object toClass(Object value, Class<?> type, Type target) {
        if (value == null) {
            if (type.isPrimitive()) {
                throw new Failure(value, target, "a non-null value for primitive " + type.getName());
            }
            return null;
        }
        if (type.isPrimitive()) {
            return toPrimitive(value, type, target);
        }
        if (type.isArray()) {
            if (type == byte[].class && value instanceof byte[]) {
                return value;
            }
            return toArray(value, type.getComponentType(), type.getComponentType(), target);
        }
        if (Number.class.isAssignableFrom(type) && type != Number.class) {
            return toNumber(value, type, target);
        }
        if (type.isInstance(value)) {
            return value;
        }
        if (type == Character.class) {
            return toChar(value, target);
        }
        if (type.isEnum()) {
            return toEnum(value, type, target);
        }
        if (value instanceof java.time.OffsetDateTime time) {
            // aiomas' datetime arrives as an OffsetDateTime, whichever kind of date-time was sent.
            if (type == java.time.Instant.class) {
                return time.toInstant();
            }
            if (type == java.time.ZonedDateTime.class) {
                return time.toZonedDateTime();
            }
        }
        if (type.isRecord() && value instanceof Map<?, ?> map) {
            return toRecord(map, type, target);
        }
        if (value instanceof List<?> && Iterable.class.isAssignableFrom(type)) {
            return toCollection(value, type, Object.class, target);
        }
        if (value instanceof Map<?, ?> && Map.class.isAssignableFrom(type)) {
            return toMap(value, type, Object.class, Object.class, target);
        }
        throw new Failure(value, target, expectedFor(type));
    }

    private static String expectedFor(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type.isRecord()) {
            return "a map of the record's components";
        }
        if (Iterable.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a map";
        }
        return "an instance of " + type.getName()
                + "; register a serializer with Serializers.with(...) for custom types";
    }

    private static Object toPrimitive(Object value, Class<?> type, Type target) {
        if (type == boolean.class) {
            if (value instanceof Boolean) {
                return value;
            }
            throw new Failure(value, target, "true or false");
        }
        if (type == char.class) {
            return toChar(value, target);
        }
        return toNumber(value, box(type), target);
    }

    private static Class<?> box(Class<?> primitive) {
        if (primitive == int.class) {
            return Integer.class;
        }
        if (primitive == long.class) {
            return Long.class;
        }
        if (primitive == double.class) {
            return Double.class;
        }
        if (primitive == float.class) {
            return Float.class;
        }
        if (primitive == short.class) {
            return Short.class;
        }
        if (primitive == byte.class) {
            return Byte.class;
        }
        throw new IllegalArgumentException("not a numeric primitive: " + primitive);
    }

    private static Object toChar(Object value, Type target) {
        if (value instanceof Character) {
            return value;
        }
        if (value instanceof String s && s.length() == 1) {
            return s.charAt(0);
        }
        throw new Failure(value, target, "a string of one character");
    }

    private static Object toNumber(Object value, Class<?> type, Type target) {
        if (!(value instanceof Number number)) {
            throw new Failure(value, target, "a number");
        }
        if (type == Integer.class) {
            return (int) toWhole(number, Integer.MIN_VALUE, Integer.MAX_VALUE, "int", target);
        }
        if (type == Long.class) {
            return toWhole(number, Long.MIN_VALUE, Long.MAX_VALUE, "long", target);
        }
        if (type == Double.class) {
            return toDouble(number, Double.MAX_VALUE, target);
        }
        if (type == Float.class) {
            return (float) toDouble(number, Float.MAX_VALUE, target);
        }
        if (type == Short.class) {
            return (short) toWhole(number, Short.MIN_VALUE, Short.MAX_VALUE, "short", target);
        }
        if (type == Byte.class) {
            return (byte) toWhole(number, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte", target);
        }
        if (type == BigInteger.class) {
            return toBigInteger(number, target);
        }
        if (type == BigDecimal.class) {
            return toBigDecimal(number, target);
        }
        if (type.isInstance(value)) {
            return value;
        }
        throw new Failure(value, target, "a supported numeric type; register a serializer for "
                + type.getName());
    }

    private static long toWhole(Number number, long min, long max, String name, Type target) {
        String rule = "a whole number in " + name + " range";
        long whole;
        if (number instanceof Integer || number instanceof Long
                || number instanceof Short || number instanceof Byte) {
            whole = number.longValue();
        } else if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            // 2^63 is the first double above Long.MAX_VALUE; casting it would saturate silently.
            if (d != Math.rint(d) || d < -0x1p63 || d >= 0x1p63) {
                throw new Failure(number, target, rule);
            }
            whole = (long) d;
        } else {
            BigInteger big = toBigInteger(number, target, rule);
            if (big.bitLength() > 63) {
                throw new Failure(number, target, rule);
            }
            whole = big.longValue();
        }
        if (whole < min || whole > max) {
            throw new Failure(number, target, rule);
        }
        return whole;
    }

    private static BigInteger toBigInteger(Number number, Type target) {
        return toBigInteger(number, target, "a whole number");
    }

    private static BigInteger toBigInteger(Number number, Type target, String rule) {
        if (number instanceof BigInteger big) {
            return big;
        }
        if (number instanceof Integer || number instanceof Long
                || number instanceof Short || number instanceof Byte) {
            return BigInteger.valueOf(number.longValue());
        }
        BigDecimal decimal;
        if (number instanceof BigDecimal d) {
            decimal = d;
        } else {
            double d = number.doubleValue();
            if (!Double.isFinite(d)) {
                throw new Failure(number, target, rule);
            }
            decimal = new BigDecimal(d);
        }
        try {
            return decimal.toBigIntegerExact();
        } catch (ArithmeticException notWhole) {
            throw new Failure(number, target, rule);
        }
    }

    private static BigDecimal toBigDecimal(Number number, Type target) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (number instanceof Integer || number instanceof Long
                || number instanceof Short || number instanceof Byte) {
            return BigDecimal.valueOf(number.longValue());
        }
        double d = number.doubleValue();
        if (!Double.isFinite(d)) {
            throw new Failure(number, target, "a finite number");
        }
        return BigDecimal.valueOf(d);
    }

    private static double toDouble(Number number, double max, Type target) {
        double d = number.doubleValue();
        boolean wasFinite = (number instanceof Double || number instanceof Float)
                ? Double.isFinite(number.doubleValue()) : true;
        if (wasFinite && Math.abs(d) > max) {
            throw new Failure(number, target, "a number within " + Describe.type(target) + " range");
        }
        return d;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object toEnum(Object value, Class<?> type, Type target) {
        if (value instanceof String name) {
            try {
                return Enum.valueOf((Class) type, name);
            } catch (IllegalArgumentException unknown) {
                // fall through to the failure naming the constants
            }
        }
        throw new Failure(value, target,
                "the name of one of " + Arrays.toString(type.getEnumConstants()));
    }

    private static Object toArray(Object value, Class<?> component, Type genericComponent, Type target) {
        List<?> list;
        if (value instanceof List<?> l) {
            list = l;
        } else if (value instanceof Object[] objects) {
            list = Arrays.asList(objects);
        } else {
            throw new Failure(value, target, "a list");
        }
        Object array = Array.newInstance(component, list.size());
        int i = 0;
        for (Object element : list) {
            Object converted = at(element, genericComponent, i);
            Array.set(array, i, converted);
            i++;
        }
        return array;
    }

    private static Object at(Object element, Type type, Object step) {
        try {
            return to(element, type);
        } catch (Failure failure) {
            throw failure.within(step);
        }
    }

    private static Object toCollection(Object value, Class<?> raw, Type elementType, Type target) {
        if (!(value instanceof Collection<?> source)) {
            throw new Failure(value, target, "a list");
        }
        Collection<Object> result = newCollection(raw, source.size(), value, target);
        int i = 0;
        for (Object element : source) {
            result.add(at(element, elementType, i));
            i++;
        }
        return result;
    }

    private static Collection<Object> newCollection(Class<?> raw, int size, Object value, Type target) {
        if (raw.isAssignableFrom(ArrayList.class)) {
            return new ArrayList<>(size);
        }
        if (raw.isAssignableFrom(LinkedHashSet.class)) {
            return LinkedHashSet.newLinkedHashSet(size);
        }
        if (raw.isAssignableFrom(TreeSet.class) && SortedSet.class.isAssignableFrom(raw)) {
            return new TreeSet<>();
        }
        if (raw == HashSet.class) {
            return HashSet.newHashSet(size);
        }
        if (raw == LinkedList.class) {
            return new LinkedList<>();
        }
        throw new Failure(value, target, "a supported collection type: List, Collection, Iterable,"
                + " Set, SortedSet, ArrayList, LinkedList, HashSet, LinkedHashSet or TreeSet");
    }

    private static Object toMap(Object value, Class<?> raw, Type keyType, Type valueType, Type target) {
        if (!(value instanceof Map<?, ?> source)) {
            throw new Failure(value, target, "a map");
        }
        Map<Object, Object> result;
        if (raw.isAssignableFrom(LinkedHashMap.class)) {
            result = LinkedHashMap.newLinkedHashMap(source.size());
        } else if (raw == HashMap.class) {
            result = HashMap.newHashMap(source.size());
        } else if (raw.isAssignableFrom(TreeMap.class) && SortedMap.class.isAssignableFrom(raw)) {
            result = new TreeMap<>();
        } else {
            throw new Failure(value, target,
                    "a supported map type: Map, HashMap, LinkedHashMap, SortedMap or TreeMap");
        }
        for (Map.Entry<?, ?> entry : source.entrySet()) {
            Object key = toKey(entry.getKey(), keyType);
            result.put(key, at(entry.getValue(), valueType, new KeyStep(entry.getKey())));
        }
        return result;
    }

    /** A long has at most 19 digits; a sign and white space make 21, and longer is out of range. */
    private static final int MAX_LONG_KEY_CHARS = 21;
    /** Python's default limit of digits in the text form of an int ({@code sys.get_int_max_str_digits}). */
    private static final int MAX_INTEGER_KEY_CHARS = 4300;
    /** The exact decimal form of a double has at most 767 significant digits, with exponent and sign below 800. */
    private static final int MAX_DECIMAL_KEY_CHARS = 800;

    /** Converts a map key; string keys (all JSON keys are strings) parse to numbers and booleans. */
    private static Object toKey(Object key, Type keyType) {
        if (key instanceof String text && keyType instanceof Class<?> type && type != String.class
                && type != Object.class) {
            Class<?> boxed = type.isPrimitive() ? box(type) : type;
            try {
                // The parsers take time quadratic in the digits, on the loop: bound them first, so
                // a key with 400,000 digits is an error at once rather than seconds of work.
                if (boxed == Integer.class || boxed == Long.class || boxed == Short.class || boxed == Byte.class) {
                    String digits = text.strip();
                    if (digits.length() > MAX_LONG_KEY_CHARS) {
                        throw new Failure(key, keyType, "a key in the text form of " + type.getName(),
                                "out of range (" + digits.length() + " characters)");
                    }
                    return to(new BigInteger(digits), type);
                }
                if (boxed == BigInteger.class) {
                    if (text.length() > MAX_INTEGER_KEY_CHARS) {
                        throw new Failure(key, keyType, "an integer key of at most " + MAX_INTEGER_KEY_CHARS
                                + " digits, as Python allows", text.length() + " characters");
                    }
                    return to(new BigInteger(text.strip()), type);
                }
                if (boxed == Double.class || boxed == Float.class || boxed == BigDecimal.class) {
                    if (text.length() > MAX_DECIMAL_KEY_CHARS) {
                        throw new Failure(key, keyType, "a key in the text form of " + type.getName()
                                + " of at most " + MAX_DECIMAL_KEY_CHARS + " characters", text.length() + " characters");
                    }
                    return to(parseDouble(text), type);
                }
                if (boxed == Boolean.class && (text.equals("true") || text.equals("false"))) {
                    return Boolean.valueOf(text);
                }
            } catch (NumberFormatException notNumber) {
                throw new Failure(key, keyType, "a key in the text form of " + type.getName())
                        .within(new KeyStep(key));
            } catch (Failure failure) {
                throw failure.within(new KeyStep(key));
            }
        }
        try {
            return to(key, keyType);
        } catch (Failure failure) {
            throw failure.within(new KeyStep(key));
        }
    }

    private static Double parseDouble(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.valueOf(text);
        };
    }

    private static Object toRecord(Map<?, ?> map, Class<?> type, Type target) {
        RecordShape shape = RecordShape.of(type);
        Object[] values = new Object[shape.size()];
        int found = 0;
        for (int i = 0; i < shape.size(); i++) {
            String name = shape.name(i);
            Object value = map.get(name);
            if (value == null && !map.containsKey(name)) {
                throw new Failure(map, target, "a map with keys " + shape.names(),
                        "missing component: " + name);
            }
            found++;
            values[i] = at(value, shape.type(i), new ComponentStep(name));
        }
        if (found != map.size()) {
            List<Object> unknown = new ArrayList<>();
            Set<String> names = new HashSet<>(shape.names());
            for (Object key : map.keySet()) {
                if (!names.contains(key)) {
                    unknown.add(key);
                }
            }
            throw new Failure(map, target, "a map with keys " + shape.names(),
                    "unknown keys: " + unknown);
        }
        return shape.construct(values);
    }

    /** A step into a map value, shown as {@code ["key"]}. */
    private record KeyStep(Object key) {
        @Override
        public String toString() {
            return "[" + Describe.text(key) + "]";
        }
    }

    /** A step into a record component, shown as {@code .name}. */
    private record ComponentStep(String name) {
        @Override
        public String toString() {
            return "." + name;
        }
    }

    /**
     * A conversion failure on its way up to the public entry point, collecting where in the
     * value it happened; it has no stack trace because it never leaves this class.
     */
    private static final class Failure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient Object value;
        private final transient Type target;
        private final String rule;
        private final String problem;
        private final transient Deque<Object> path = new ArrayDeque<>();

        Failure(Object value, Type target, String rule) {
            this(value, target, rule, null);
        }

        Failure(Object value, Type target, String rule, String problem) {
            super(null, null, false, false);
            this.value = value;
            this.target = target;
            this.rule = rule;
            this.problem = problem;
        }

        Failure within(Object step) {
            path.addFirst(step);
            return this;
        }

        String describe() {
            StringBuilder text = new StringBuilder("cannot convert ").append(Describe.value(value))
                    .append(" to ").append(Describe.type(target));
            if (!path.isEmpty()) {
                text.append(" at ");
                for (Object step : path) {
                    text.append(step instanceof Integer index ? "[" + index + "]" : step);
                }
            }
            if (problem != null) {
                text.append(": ").append(problem);
            }
            return text.append(" (expected: ").append(rule).append(')').toString();
        }
    }
}
