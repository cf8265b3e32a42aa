package io.loomas.codec.internal;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * {@link ValueConverter}'s conversions to numbers, booleans and characters: range-checked, never
 * truncating ({@code 3.0} converts to {@code int}, {@code 3.5} does not).
 */
final class NumberConversions {
    private NumberConversions() {}

    static Object toPrimitive(Object value, Class<?> type, Type target) {
        if (type == boolean.class) {
            if (value instanceof Boolean) {
                return value;
            }
            throw new ConversionFailure(value, target, "true or false");
        }
        if (type == char.class) {
            return toChar(value, target);
        }
        return toNumber(value, box(type), target);
    }

    static Class<?> box(Class<?> primitive) {
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

    static Object toChar(Object value, Type target) {
        if (value instanceof Character) {
            return value;
        }
        if (value instanceof String s && s.length() == 1) {
            return s.charAt(0);
        }
        throw new ConversionFailure(value, target, "a string of one character");
    }

    static Object toNumber(Object value, Class<?> type, Type target) {
        if (!(value instanceof Number number)) {
            throw new ConversionFailure(value, target, "a number");
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
        throw new ConversionFailure(value, target, "a supported numeric type; register a serializer for "
                + type.getName());
    }

    static long toWhole(Number number, long min, long max, String name, Type target) {
        String rule = "a whole number in " + name + " range";
        long whole;
        if (number instanceof Integer || number instanceof Long
                || number instanceof Short || number instanceof Byte) {
            whole = number.longValue();
        } else if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            // 2^63 is the first double above Long.MAX_VALUE; casting it would saturate silently.
            if (d != Math.rint(d) || d < -0x1p63 || d >= 0x1p63) {
                throw new ConversionFailure(number, target, rule);
            }
            whole = (long) d;
        } else {
            BigInteger big = toBigInteger(number, target, rule);
            if (big.bitLength() > 63) {
                throw new ConversionFailure(number, target, rule);
            }
            whole = big.longValue();
        }
        if (whole < min || whole > max) {
            throw new ConversionFailure(number, target, rule);
        }
        return whole;
    }

    static BigInteger toBigInteger(Number number, Type target) {
        return toBigInteger(number, target, "a whole number");
    }

    static BigInteger toBigInteger(Number number, Type target, String rule) {
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
                throw new ConversionFailure(number, target, rule);
            }
            decimal = new BigDecimal(d);
        }
        try {
            return decimal.toBigIntegerExact();
        } catch (ArithmeticException notWhole) {
            throw new ConversionFailure(number, target, rule);
        }
    }

    static BigDecimal toBigDecimal(Number number, Type target) {
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
            throw new ConversionFailure(number, target, "a finite number");
        }
        return BigDecimal.valueOf(d);
    }

    static double toDouble(Number number, double max, Type target) {
        double d = number.doubleValue();
        boolean wasFinite = (number instanceof Double || number instanceof Float)
                ? Double.isFinite(number.doubleValue()) : true;
        if (wasFinite && Math.abs(d) > max) {
            throw new ConversionFailure(number, target, "a number within " + Describe.type(target) + " range");
        }
        return d;
    }
}
