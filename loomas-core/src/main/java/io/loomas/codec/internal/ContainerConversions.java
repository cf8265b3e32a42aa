package io.loomas.codec.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link ValueConverter}'s conversions of lists and maps: to arrays, collections and maps,
 * converting each element, key and value; string keys (all JSON keys are strings) parse to the
 * numeric and boolean key types, with their length bounded before any parsing.
 */
final class ContainerConversions {
    private ContainerConversions() {}

    static Object toArray(Object value, Class<?> component, Type genericComponent, Type target) {
        List<?> list;
        if (value instanceof List<?> l) {
            list = l;
        } else if (value instanceof Object[] objects) {
            list = Arrays.asList(objects);
        } else {
            throw new ConversionFailure(value, target, "a list");
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

    /** Converts one element, key or component, adding {@code step} to the failure's path. */
    static Object at(Object element, Type type, Object step) {
        try {
            return ValueConverter.to(element, type);
        } catch (ConversionFailure failure) {
            throw failure.within(step);
        }
    }

    static Object toCollection(Object value, Class<?> raw, Type elementType, Type target) {
        if (!(value instanceof Collection<?> source)) {
            throw new ConversionFailure(value, target, "a list");
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
        throw new ConversionFailure(value, target, "a supported collection type: List, Collection, Iterable,"
                + " Set, SortedSet, ArrayList, LinkedList, HashSet, LinkedHashSet or TreeSet");
    }

    static Object toMap(Object value, Class<?> raw, Type keyType, Type valueType, Type target) {
        if (!(value instanceof Map<?, ?> source)) {
            throw new ConversionFailure(value, target, "a map");
        }
        Map<Object, Object> result;
        if (raw.isAssignableFrom(LinkedHashMap.class)) {
            result = LinkedHashMap.newLinkedHashMap(source.size());
        } else if (raw == HashMap.class) {
            result = HashMap.newHashMap(source.size());
        } else if (raw.isAssignableFrom(TreeMap.class) && SortedMap.class.isAssignableFrom(raw)) {
            result = new TreeMap<>();
        } else {
            throw new ConversionFailure(value, target,
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
            Class<?> boxed = type.isPrimitive() ? NumberConversions.box(type) : type;
            try {
                // The parsers take time quadratic in the digits, on the loop: bound them first, so
                // a key with 400,000 digits is an error at once rather than seconds of work.
                if (boxed == Integer.class || boxed == Long.class || boxed == Short.class || boxed == Byte.class) {
                    String digits = text.strip();
                    if (digits.length() > MAX_LONG_KEY_CHARS) {
                        throw new ConversionFailure(key, keyType, "a key in the text form of " + type.getName(),
                                "out of range (" + digits.length() + " characters)");
                    }
                    return ValueConverter.to(new BigInteger(digits), type);
                }
                if (boxed == BigInteger.class) {
                    if (text.length() > MAX_INTEGER_KEY_CHARS) {
                        throw new ConversionFailure(key, keyType, "an integer key of at most " + MAX_INTEGER_KEY_CHARS
                                + " digits, as Python allows", text.length() + " characters");
                    }
                    return ValueConverter.to(new BigInteger(text.strip()), type);
                }
                if (boxed == Double.class || boxed == Float.class || boxed == BigDecimal.class) {
                    if (text.length() > MAX_DECIMAL_KEY_CHARS) {
                        throw new ConversionFailure(key, keyType, "a key in the text form of " + type.getName()
                                + " of at most " + MAX_DECIMAL_KEY_CHARS + " characters", text.length() + " characters");
                    }
                    return ValueConverter.to(parseDouble(text), type);
                }
                if (boxed == Boolean.class && (text.equals("true") || text.equals("false"))) {
                    return Boolean.valueOf(text);
                }
            } catch (NumberFormatException notNumber) {
                throw new ConversionFailure(key, keyType, "a key in the text form of " + type.getName())
                        .within(new KeyStep(key));
            } catch (ConversionFailure failure) {
                throw failure.within(new KeyStep(key));
            }
        }
        try {
            return ValueConverter.to(key, keyType);
        } catch (ConversionFailure failure) {
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

    /** A step into a map value, shown as {@code ["key"]}. */
    private record KeyStep(Object key) {
        @Override
        public String toString() {
            return "[" + Describe.text(key) + "]";
        }
    }
}
