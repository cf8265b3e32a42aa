package io.loomas.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.loomas.codec.internal.Describe;
import io.loomas.codec.internal.RecordShape;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import org.msgpack.jackson.dataformat.MessagePackSerializedString;

/**
 * A writer of one value tree to a Jackson generator, following the value model of the wire
 * format; registered types become {@code {"__type__": [typeId, data]}}.
 *
 * <p>Not thread-safe: one instance serves one encoding call.
 */
final class ValueWriter {

    /** The deepest nesting written or read; deeper values are usually cycles. */
    static final int MAX_DEPTH = 1000;

    static final String TYPE_KEY = "__type__";

    private static final BigInteger MSGPACK_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MSGPACK_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final JsonGenerator out;
    private final WireFormat format;
    private final Serializers serializers;

    ValueWriter(JsonGenerator out, WireFormat format, Serializers serializers) {
        this.out = out;
        this.format = format;
        this.serializers = serializers;
    }

    void write(Object value, int depth) throws IOException {
        if (value == null) {
            out.writeNull();
            return;
        }
        if (serializers.size() > 0) {
            int typeId = serializers.typeIdFor(value.getClass());
            if (typeId != Serializers.UNREGISTERED) {
                writeTyped(typeId, value, depth);
                return;
            }
        }
        if (value instanceof String s) {
            out.writeString(s);
        } else if (value instanceof Integer i) {
            out.writeNumber(i);
        } else if (value instanceof Long l) {
            out.writeNumber(l);
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof Double d) {
            writeDouble(d);
        } else if (value instanceof Collection<?> collection) {
            enter(depth, value);
            out.writeStartArray();
            for (Object element : collection) {
                write(element, depth + 1);
            }
            out.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, depth);
        } else if (value instanceof byte[] bytes) {
            writeBytes(bytes);
        } else if (value instanceof Record record) {
            writeRecord(record, depth);
        } else if (value instanceof Enum<?> e) {
            out.writeString(e.name());
        } else if (value instanceof Float f) {
            writeDouble(f.doubleValue());
        } else if (value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).intValue());
        } else if (value instanceof BigInteger big) {
            writeBigInteger(big);
        } else if (value instanceof BigDecimal decimal) {
            if (format == WireFormat.JSON) {
                out.writeNumber(decimal);
            } else {
                out.writeNumber(decimal.doubleValue());
            }
        } else if (value instanceof Character c) {
            out.writeString(c.toString());
        } else if (value.getClass().isArray()) {
            writeArray(value, depth);
        } else {
            throw new CodecException("cannot encode value of type " + value.getClass().getName()
                    + " (expected: a " + (format == WireFormat.JSON ? "JSON" : "MsgPack")
                    + " value, a record or a registered type); register it with Serializers.with(...)");
        }
    }

    private void enter(int depth, Object value) {
        if (depth >= MAX_DEPTH) {
            throw new CodecException("value nesting is too deep: more than " + MAX_DEPTH
                    + " levels at a " + Describe.className(value.getClass())
                    + " (expected: at most " + MAX_DEPTH + "); check the value for a cycle");
        }
    }

    private void writeTyped(int typeId, Object value, int depth) throws IOException {
        enter(depth, value);
        TypeSerializer<?> serializer = serializers.get(typeId);
        Object data;
        try {
            data = serializer.encode(value);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("serializer for " + serializer.type().getName() + " (type id "
                    + typeId + ") failed to encode: " + Describe.value(value) + "; " + e, e);
        }
        out.writeStartObject();
        out.writeFieldName(TYPE_KEY);
        out.writeStartArray();
        out.writeNumber(typeId);
        write(data, depth + 1);
        out.writeEndArray();
        out.writeEndObject();
    }

    private void writeDouble(double d) throws IOException {
        if (format == WireFormat.JSON) {
            out.writeNumber(PythonFloats.repr(d));
        } else {
            out.writeNumber(d);
        }
    }

    private void writeBigInteger(BigInteger big) throws IOException {
        if (format == WireFormat.MSGPACK && (big.compareTo(MSGPACK_MIN) < 0 || big.compareTo(MSGPACK_MAX) > 0)) {
            throw new CodecException("integer is out of MsgPack range: " + big
                    + " (expected: -2^63 to 2^64-1); use the json codec or encode it as a string");
        }
        out.writeNumber(big);
    }

    private void writeBytes(byte[] bytes) throws IOException {
        if (format == WireFormat.JSON) {
            throw new CodecException("bytes have no JSON form: " + bytes.length
                    + " bytes (expected: a JSON value); use the msgpack codec,"
                    + " or register a serializer for byte[] with Serializers.with(...)");
        }
        out.writeBinary(bytes);
    }

    private void writeMap(Map<?, ?> map, int depth) throws IOException {
        enter(depth, map);
        out.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            writeKey(entry.getKey());
            write(entry.getValue(), depth + 1);
        }
        out.writeEndObject();
    }

    private void writeRecord(Record record, int depth) throws IOException {
        enter(depth, record);
        RecordShape shape = RecordShape.of(record.getClass());
        out.writeStartObject();
        for (int i = 0; i < shape.size(); i++) {
            out.writeFieldName(shape.name(i));
            write(shape.get(record, i), depth + 1);
        }
        out.writeEndObject();
    }

    private void writeKey(Object key) throws IOException {
        if (key instanceof String s) {
            out.writeFieldName(s);
            return;
        }
        if (key == null) { // as Python writes {None: 1}: {"null": 1} in JSON, 81 c0 01 in MsgPack
            if (format == WireFormat.JSON) {
                out.writeFieldName("null");
            } else {
                out.writeFieldName(new MessagePackSerializedString(null));
            }
            return;
        }
        Object normal = normalKey(key);
        if (format == WireFormat.JSON) {
            out.writeFieldName(normal instanceof Double d ? PythonFloats.repr(d) : normal.toString());
        } else {
            out.writeFieldName(new MessagePackSerializedString(normal));
        }
    }

    /** {@return the key as String, Integer, Long, BigInteger, Double or Boolean} */
    private Object normalKey(Object key) {
        if (key instanceof Integer || key instanceof Long || key instanceof Boolean || key instanceof Double) {
            return key;
        }
        if (key instanceof Short || key instanceof Byte) {
            return ((Number) key).intValue();
        }
        if (key instanceof Float f) {
            return f.doubleValue();
        }
        if (key instanceof BigInteger big) {
            if (format == WireFormat.MSGPACK && (big.compareTo(MSGPACK_MIN) < 0 || big.compareTo(MSGPACK_MAX) > 0)) {
                throw new CodecException("map key is out of MsgPack range: " + big
                        + " (expected: -2^63 to 2^64-1)");
            }
            return big;
        }
        if (key instanceof Enum<?> e) {
            return e.name();
        }
        if (key instanceof Character c) {
            return c.toString();
        }
        throw new CodecException("cannot encode map key " + Describe.value(key)
                + " (expected: a string, number, boolean or enum key)");
    }

    private void writeArray(Object array, int depth) throws IOException {
        enter(depth, array);
        out.writeStartArray();
        switch (array) {
            case Object[] objects -> {
                for (Object element : objects) {
                    write(element, depth + 1);
                }
            }
            case int[] ints -> {
                for (int element : ints) {
                    out.writeNumber(element);
                }
            }
            case long[] longs -> {
                for (long element : longs) {
                    out.writeNumber(element);
                }
            }
            case double[] doubles -> {
                for (double element : doubles) {
                    writeDouble(element);
                }
            }
            case float[] floats -> {
                for (float element : floats) {
                    writeDouble(element);
                }
            }
            case short[] shorts -> {
                for (short element : shorts) {
                    out.writeNumber(element);
                }
            }
            case boolean[] booleans -> {
                for (boolean element : booleans) {
                    out.writeBoolean(element);
                }
            }
            case char[] chars -> {
                for (char element : chars) {
                    out.writeString(String.valueOf(element));
                }
            }
            default -> throw new CodecException("cannot encode array of type "
                    + array.getClass().getTypeName() + " (expected: an object or primitive array)");
        }
        out.writeEndArray();
    }
}
