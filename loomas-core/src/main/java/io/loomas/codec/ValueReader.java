package io.loomas.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.loomas.codec.internal.Describe;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of one value tree from a Jackson parser into the decoded value model: {@code null},
 * {@code Boolean}, {@code Integer}, {@code Long}, {@code BigInteger}, {@code Double},
 * {@code String}, {@code byte[]}, {@code ArrayList}, {@code LinkedHashMap} and registered types.
 *
 * <p>Used for JSON, whose map keys are always strings; MsgPack is read by {@link MsgPackReader},
 * which keeps the types of map keys.
 *
 * <p>Not thread-safe: one instance serves one decoding call.
 */
final class ValueReader {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final JsonParser in;
    private final WireFormat format;
    private final Serializers serializers;

    ValueReader(JsonParser in, WireFormat format, Serializers serializers) {
        this.in = in;
        this.format = format;
        this.serializers = serializers;
    }

    /** {@return the next token, failing if the input ends first} */
    JsonToken next(String expected) throws IOException {
        JsonToken token = in.nextToken();
        if (token == null) {
            throw new CodecException(format.formatName() + " data is truncated: input ends at byte "
                    + in.currentLocation().getByteOffset() + " (expected: " + expected + ")");
        }
        return token;
    }

    /** Reads the value that starts at {@code token}, the parser's current token. */
    Object read(JsonToken token, int depth) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return in.getText();
            case VALUE_NUMBER_INT:
                return integer();
            case VALUE_NUMBER_FLOAT:
                return in.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_ARRAY:
                return readList(depth);
            case START_OBJECT:
                return readMap(depth);
            default:
                throw new CodecException(format.formatName() + " data is malformed: unexpected "
                        + token + " at byte " + in.currentTokenLocation().getByteOffset()
                        + " (expected: a value)");
        }
    }

    /** {@return the current integer as Integer, Long or BigInteger, whichever is smallest} */
    Number integer() throws IOException {
        switch (in.getNumberType()) {
            case INT:
                return in.getIntValue();
            case LONG:
                long l = in.getLongValue();
                return (int) l == l ? (Number) (int) l : (Number) l;
            default:
                BigInteger big = in.getBigIntegerValue();
                if (big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0) {
                    long small = big.longValue();
                    return (int) small == small ? (Number) (int) small : (Number) small;
                }
                return big;
        }
    }

    private void enter(int depth) {
        if (depth >= ValueWriter.MAX_DEPTH) {
            throw new CodecException(format.formatName() + " data is nested too deeply: more than "
                    + ValueWriter.MAX_DEPTH + " levels (expected: at most " + ValueWriter.MAX_DEPTH + ")");
        }
    }

    private List<Object> readList(int depth) throws IOException {
        enter(depth);
        List<Object> list = new ArrayList<>();
        JsonToken token;
        while ((token = next("an array element or the end of the array")) != JsonToken.END_ARRAY) {
            list.add(read(token, depth + 1));
        }
        return list;
    }

    private Object readMap(int depth) throws IOException {
        enter(depth);
        Map<String, Object> map = new LinkedHashMap<>();
        JsonToken token;
        while ((token = next("a map key or the end of the map")) != JsonToken.END_OBJECT) {
            if (token != JsonToken.FIELD_NAME) {
                throw new CodecException(format.formatName() + " data is malformed: " + token
                        + " where a map key belongs (expected: a map key)");
            }
            String key = in.currentName();
            map.put(key, read(next("a map value"), depth + 1));
        }
        if (map.size() == 1) {
            Object typed = map.get(ValueWriter.TYPE_KEY);
            if (typed != null) {
                return decodeTyped(typed, serializers);
            }
        }
        return map;
    }

    /** {@return the value a registered serializer decodes from {@code typed}, the value of a {@code __type__} key} */
    static Object decodeTyped(Object typed, Serializers serializers) {
        if (!(typed instanceof List<?> pair) || pair.size() != 2
                || !(pair.get(0) instanceof Integer || pair.get(0) instanceof Long
                        || pair.get(0) instanceof BigInteger)) {
            throw new CodecException("malformed __type__ value: " + Describe.value(typed)
                    + " (expected: [type id, data])");
        }
        Number id = (Number) pair.get(0);
        if (!(id instanceof Integer) || id.intValue() < 0 || id.intValue() >= serializers.size()) {
            String range = serializers.size() == 0 ? "none, no serializers are registered"
                    : "0.." + (serializers.size() - 1);
            throw new CodecException("unknown __type__ id: " + id + " (expected: " + range
                    + "); both peers must register the same serializers in the same order");
        }
        TypeSerializer<?> serializer = serializers.get(id.intValue());
        Object data = pair.get(1);
        try {
            return serializer.decode(data);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("serializer for " + serializer.type().getName() + " (type id "
                    + id + ") failed to decode: " + Describe.value(data) + "; " + e, e);
        }
    }
}
