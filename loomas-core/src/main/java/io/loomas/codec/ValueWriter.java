package io.loomas.codec;

import io.loomas.codec.internal.Describe;
import io.loomas.codec.internal.RecordShape;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import org.msgpack.core.MessagePacker;

/**
 * A writer of one value tree in the value model of the wire format, to JSON
 * ({@link PythonJsonWriter}) or MsgPack (msgpack-core's packer, written directly: Jackson's MsgPack
 * generator buffers every container to learn its size and packs strings through a
 * {@code CharsetEncoder}, which cost a third of a client's time); registered types become
 * {@code {"__type__": [typeId, data]}}.
 *
 * <p>Not thread-safe: one instance serves one encoding call.
 */
final class ValueWriter {

    /**
     * The tokens of a value tree as a format writes them. Containers are announced with their
     * size (MsgPack's headers need it; JSON ignores it). A map key is a String, Integer, Long,
     * BigInteger, Double, Boolean or null.
     */
    interface Out {
        void nil() throws IOException;

        void bool(boolean b) throws IOException;

        void integer(long l) throws IOException;

        void bigInteger(BigInteger big) throws IOException;

        void floating(double d) throws IOException;

        void decimal(BigDecimal d) throws IOException;

        void string(String s) throws IOException;

        void binary(byte[] bytes) throws IOException;

        void startArray(int size) throws IOException;

        void endArray() throws IOException;

        void startMap(int size) throws IOException;

        void endMap() throws IOException;

        void key(Object key) throws IOException;
    }

    /** MsgPack as Python's {@code msgpack.packb(value, use_bin_type=True)} writes it. */
    record MsgPackOut(MessagePacker out) implements Out {
        @Override
        public void nil() throws IOException {
            out.packNil();
        }

        @Override
        public void bool(boolean b) throws IOException {
            out.packBoolean(b);
        }

        @Override
        public void integer(long l) throws IOException {
            out.packLong(l); // the smallest form that holds it, as Python's packer picks
        }

        @Override
        public void bigInteger(BigInteger big) throws IOException {
            out.packBigInteger(big);
        }

        @Override
        public void floating(double d) throws IOException {
            out.packDouble(d); // float 64, as Python packs every float
        }

        @Override
        public void decimal(BigDecimal d) throws IOException {
            out.packDouble(d.doubleValue());
        }

        @Override
        public void string(String s) throws IOException {
            out.packString(s);
        }

        @Override
        public void binary(byte[] bytes) throws IOException {
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        }

        @Override
        public void startArray(int size) throws IOException {
            out.packArrayHeader(size);
        }

        @Override
        public void endArray() {}

        @Override
        public void startMap(int size) throws IOException {
            out.packMapHeader(size);
        }

        @Override
        public void endMap() {}

        @Override
        public void key(Object key) throws IOException {
            switch (key) {
                case null -> out.packNil();
                case String s -> out.packString(s);
                case Integer i -> out.packInt(i);
                case Long l -> out.packLong(l);
                case BigInteger big -> out.packBigInteger(big);
                case Double d -> out.packDouble(d);
                case Boolean b -> out.packBoolean(b);
                default -> throw new IllegalArgumentException("not a normal key: " + key);
            }
        }
    }

    /** The deepest nesting written or read; deeper values are usually cycles. */
    static final int MAX_DEPTH = 1000;

    static final String TYPE_KEY = "__type__";

    private static final BigInteger MSGPACK_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MSGPACK_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final Out out;
    private final WireFormat format;
    private final Serializers serializers;

    ValueWriter(Out out, WireFormat format, Serializers serializers) {
        this.out = out;
        this.format = format;
        this.serializers = serializers;
    }

    void write(Object value, int depth) throws IOException {
        if (value == null) {
            out.nil();
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
            out.string(s);
        } else if (value instanceof Integer i) {
            out.integer(i);
        } else if (value instanceof Long l) {
            out.integer(l);
        } else if (value instanceof Boolean b) {
            out.bool(b);
        } else if (value instanceof Double d) {
            out.floating(d);
        } else if (value instanceof Collection<?> collection) {
            writeCollection(collection, depth);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, depth);
        } else if (value instanceof byte[] bytes) {
            out.binary(bytes);
        } else if (value instanceof Record record) {
            writeRecord(record, depth);
        } else if (value instanceof Enum<?> e) {
            out.string(e.name());
        } else if (value instanceof Float f) {
            out.floating(f.doubleValue());
        } else if (value instanceof Short || value instanceof Byte) {
            out.integer(((Number) value).intValue());
        } else if (value instanceof BigInteger big) {
            writeBigInteger(big);
        } else if (value instanceof BigDecimal decimal) {
            out.decimal(decimal);
        } else if (value instanceof Character c) {
            out.string(c.toString());
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
        out.startMap(1);
        out.key(TYPE_KEY);
        out.startArray(2);
        out.integer(typeId);
        write(data, depth + 1);
        out.endArray();
        out.endMap();
    }

    private void writeBigInteger(BigInteger big) throws IOException {
        if (format == WireFormat.MSGPACK && (big.compareTo(MSGPACK_MIN) < 0 || big.compareTo(MSGPACK_MAX) > 0)) {
            throw new CodecException("integer is out of MsgPack range: " + big
                    + " (expected: -2^63 to 2^64-1); use the json codec or encode it as a string");
        }
        out.bigInteger(big);
    }

    /**
     * Writes a collection. A list with random access is written by index, anything else from a
     * snapshot of its elements: a MsgPack header states the size before the elements, so a
     * collection that another thread changes meanwhile must not write other elements than it said.
     */
    private void writeCollection(Collection<?> collection, int depth) throws IOException {
        enter(depth, collection);
        if (collection instanceof List<?> list && list instanceof RandomAccess) {
            int size = list.size();
            out.startArray(size);
            for (int i = 0; i < size; i++) {
                write(list.get(i), depth + 1);
            }
        } else {
            Object[] elements = collection.toArray();
            out.startArray(elements.length);
            for (Object element : elements) {
                write(element, depth + 1);
            }
        }
        out.endArray();
    }

    private void writeMap(Map<?, ?> map, int depth) throws IOException {
        enter(depth, map);
        Object[] entries = map.entrySet().toArray(); // a snapshot, for the size the header states
        out.startMap(entries.length);
        for (Object e : entries) {
            Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
            writeKey(entry.getKey());
            write(entry.getValue(), depth + 1);
        }
        out.endMap();
    }

    private void writeRecord(Record record, int depth) throws IOException {
        enter(depth, record);
        RecordShape shape = RecordShape.of(record.getClass());
        out.startMap(shape.size());
        for (int i = 0; i < shape.size(); i++) {
            out.key(shape.name(i));
            write(shape.get(record, i), depth + 1);
        }
        out.endMap();
    }

    private void writeKey(Object key) throws IOException {
        out.key(key == null || key instanceof String ? key : normalKey(key));
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
        out.startArray(java.lang.reflect.Array.getLength(array));
        switch (array) {
            case Object[] objects -> {
                for (Object element : objects) {
                    write(element, depth + 1);
                }
            }
            case int[] ints -> {
                for (int element : ints) {
                    out.integer(element);
                }
            }
            case long[] longs -> {
                for (long element : longs) {
                    out.integer(element);
                }
            }
            case double[] doubles -> {
                for (double element : doubles) {
                    out.floating(element);
                }
            }
            case float[] floats -> {
                for (float element : floats) {
                    out.floating(element);
                }
            }
            case short[] shorts -> {
                for (short element : shorts) {
                    out.integer(element);
                }
            }
            case boolean[] booleans -> {
                for (boolean element : booleans) {
                    out.bool(element);
                }
            }
            case char[] chars -> {
                for (char element : chars) {
                    out.string(String.valueOf(element));
                }
            }
            default -> throw new CodecException("cannot encode array of type "
                    + array.getClass().getTypeName() + " (expected: an object or primitive array)");
        }
        out.endArray();
    }
}
