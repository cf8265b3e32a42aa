package io.loomas.codec.internal;

import io.loomas.codec.CodecException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

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
        } catch (ConversionFailure failure) {
            throw new CodecException(failure.describe());
        }
    }

    /** Converts without wrapping the failure: for the conversions of elements, keys and components. */
    static Object to(Object value, Type target) {
        if (target instanceof Class<?> type) {
            return toClass(value, type, target);
        }
        if (target instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (value != null && Map.class.isAssignableFrom(raw) && args.length == 2) {
                return ContainerConversions.toMap(value, raw, args[0], args[1], target);
            }
            if (value != null && Iterable.class.isAssignableFrom(raw) && args.length == 1) {
                return ContainerConversions.toCollection(value, raw, args[0], target);
            }
            return toClass(value, raw, target);
        }
        if (target instanceof GenericArrayType array) {
            if (value == null) {
                return null;
            }
            Type component = array.getGenericComponentType();
            return ContainerConversions.toArray(value, rawClass(component), component, target);
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
                throw new ConversionFailure(value, target, "a non-null value for primitive " + type.getName());
            }
            return null;
        }
        if (type.isPrimitive()) {
            return NumberConversions.toPrimitive(value, type, target);
        }
        if (type.isArray()) {
            if (type == byte[].class && value instanceof byte[]) {
                return value;
            }
            return ContainerConversions.toArray(value, type.getComponentType(), type.getComponentType(), target);
        }
        if (Number.class.isAssignableFrom(type) && type != Number.class) {
            return NumberConversions.toNumber(value, type, target);
        }
        if (type.isInstance(value)) {
            return value;
        }
        if (type == Character.class) {
            return NumberConversions.toChar(value, target);
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
            return RecordConversions.toRecord(map, type, target);
        }
        if (value instanceof List<?> && Iterable.class.isAssignableFrom(type)) {
            return ContainerConversions.toCollection(value, type, Object.class, target);
        }
        if (value instanceof Map<?, ?> && Map.class.isAssignableFrom(type)) {
            return ContainerConversions.toMap(value, type, Object.class, Object.class, target);
        }
        throw new ConversionFailure(value, target, expectedFor(type));
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object toEnum(Object value, Class<?> type, Type target) {
        if (value instanceof String name) {
            try {
                return Enum.valueOf((Class) type, name);
            } catch (IllegalArgumentException unknown) {
                // fall through to the failure naming the constants
            }
        }
        throw new ConversionFailure(value, target,
                "the name of one of " + Arrays.toString(type.getEnumConstants()));
    }

}
