package io.loomas.codec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.loomas.codec.internal.Describe;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Objects;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePackException;

/**
 * The codec of one {@link WireFormat}, with a hand-written envelope and value model (no data
 * binding, no polymorphic typing): JSON read on Jackson's streaming parser and written by
 * {@link PythonJsonWriter}, MsgPack read by {@link MsgPackReader} and written on msgpack-core's
 * packer, both through {@link ValueWriter}.
 *
 * <p>Immutable and thread-safe.
 */
final class WireCodec implements Codec {

    static final WireCodec JSON = new WireCodec(WireFormat.JSON, Serializers.NONE);
    static final WireCodec MSGPACK = new WireCodec(WireFormat.MSGPACK, Serializers.NONE);

    private static final String ENVELOPE = "[type, id, content]";

    private final WireFormat format;
    private final Serializers serializers;

    private WireCodec(WireFormat format, Serializers serializers) {
        this.format = format;
        this.serializers = serializers;
    }

    @Override
    public String name() {
        return format.formatName();
    }

    @Override
    public Serializers serializers() {
        return serializers;
    }

    @Override
    public Codec withSerializers(Serializers serializers) {
        return new WireCodec(format, Objects.requireNonNull(serializers, "serializers"));
    }

    @Override
    public byte[] encode(Object value) {
        if (format == WireFormat.MSGPACK) {
            MessageBufferPacker packer = WireFormat.packer();
            try {
                new ValueWriter(new ValueWriter.MsgPackOut(packer), format, serializers).write(value, 0);
            } catch (IOException e) {
                throw encodingFailed(e);
            }
            return packer.toByteArray();
        }
        PythonJsonWriter out = new PythonJsonWriter();
        try {
            new ValueWriter(out, format, serializers).write(value, 0);
        } catch (IOException e) {
            throw encodingFailed(e); // not from the array it writes to: from a value's serializer
        }
        return out.toByteArray();
    }

    @Override
    public byte[] encodeMessage(Message message) {
        Objects.requireNonNull(message, "message");
        if (format == WireFormat.MSGPACK) {
            MessageBufferPacker packer = WireFormat.packer();
            try {
                packer.packArrayHeader(3);
                packer.packInt(message.type().code());
                if (message.id() instanceof Long number) {
                    packer.packLong(number);
                } else {
                    packer.packString((String) message.id());
                }
                new ValueWriter(new ValueWriter.MsgPackOut(packer), format, serializers).write(message.content(), 1);
            } catch (IOException e) {
                throw encodingFailed(e);
            }
            return packer.toByteArray();
        }
        PythonJsonWriter out = new PythonJsonWriter();
        try {
            out.startArray(3);
            out.integer(message.type().code());
            if (message.id() instanceof Long number) {
                out.integer(number);
            } else {
                out.string((String) message.id());
            }
            new ValueWriter(out, format, serializers).write(message.content(), 1);
            out.endArray();
        } catch (IOException e) {
            throw encodingFailed(e);
        }
        return out.toByteArray();
    }

    private CodecException encodingFailed(IOException e) {
        return new CodecException(format.formatName() + " encoding failed: " + message(e), e);
    }

    @Override
    public Object decode(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (format == WireFormat.MSGPACK) {
            try (MsgPackReader reader = new MsgPackReader(data, offset, length, serializers)) {
                reader.peek("a value");
                Object value = reader.read(0);
                reader.expectEnd();
                return value;
            } catch (IOException | MessagePackException e) {
                throw malformed(e, "one msgpack value");
            }
        }
        checkUtf8(data, offset, length);
        try (JsonParser in = format.parser(data, offset, length)) {
            ValueReader reader = new ValueReader(in, format, serializers);
            Object value = reader.read(reader.next("a value"), 0);
            format.expectEnd(in);
            return value;
        } catch (IOException e) {
            throw malformed(e, "one " + format.formatName() + " value");
        }
    }

    @Override
    public Message decodeMessage(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (format == WireFormat.MSGPACK) {
            return decodeMsgPackMessage(data, offset, length);
        }
        checkUtf8(data, offset, length);
        try (JsonParser in = format.parser(data, offset, length)) {
            ValueReader reader = new ValueReader(in, format, serializers);
            if (reader.next(ENVELOPE) != JsonToken.START_ARRAY) {
                throw notEnvelope(reader, in);
            }
            MessageType type = typeOf(envelopeInteger(reader, "type"));
            Object id = envelopeId(reader);
            JsonToken token = reader.next(ENVELOPE);
            if (token == JsonToken.END_ARRAY) {
                throw twoElements(type, id);
            }
            Object content = reader.read(token, 1);
            if (reader.next(ENVELOPE) != JsonToken.END_ARRAY) {
                throw moreThanThree(type, id, content);
            }
            format.expectEnd(in);
            return envelope(type, id, content);
        } catch (IOException e) {
            throw malformed(e, "a " + format.formatName() + " message envelope " + ENVELOPE);
        }
    }

    private Message decodeMsgPackMessage(byte[] data, int offset, int length) {
        try (MsgPackReader reader = new MsgPackReader(data, offset, length, serializers)) {
            if (reader.peek(ENVELOPE) != org.msgpack.value.ValueType.ARRAY) {
                throw new CodecException("message envelope is not an array: " + Describe.value(reader.read(0))
                        + " (expected: " + ENVELOPE + ")");
            }
            int n = reader.arrayHeader();
            if (n == 0) {
                throw new CodecException("message envelope ends before its type (expected: " + ENVELOPE + ")");
            }
            MessageType type = typeOf(envelopeNumber(reader, "type"));
            if (n == 1) {
                throw new CodecException("message envelope ends before its id (expected: " + ENVELOPE + ")");
            }
            reader.peek(ENVELOPE);
            Object id = checkedId(reader.nextIsInteger() ? reader.integer() : reader.read(1));
            if (n == 2) {
                throw twoElements(type, id);
            }
            reader.peek(ENVELOPE);
            Object content = reader.read(1);
            if (n > 3) {
                throw moreThanThree(type, id, content);
            }
            reader.expectEnd();
            return envelope(type, id, content);
        } catch (IOException | MessagePackException e) {
            throw malformed(e, "a msgpack message envelope " + ENVELOPE);
        }
    }

    private static Number envelopeNumber(MsgPackReader reader, String what) throws IOException {
        reader.peek(ENVELOPE);
        if (!reader.nextIsInteger()) {
            throw notAnInteger(what, reader.read(1));
        }
        return reader.integer();
    }

    // The envelope's rules, shared by the JSON and the MsgPack reader.

    private static MessageType typeOf(Number code) {
        if (!(code instanceof Integer typeCode)) {
            throw new CodecException("unknown message type: " + code + " (expected: 0 request, 1 result, 2 failure)");
        }
        return MessageType.fromCode(typeCode);
    }

    /** {@return the id as a Long or a String} a peer may number its requests with either */
    private static Object checkedId(Object id) {
        if (id instanceof Integer i) {
            return (long) i;
        }
        if (id instanceof BigInteger big) {
            throw new CodecException("message id is out of range: " + Describe.text(big)
                    + " (expected: an id in signed 64-bit range)");
        }
        if (!(id instanceof Long) && !(id instanceof String)) {
            throw new CodecException("message id is neither an integer nor a string: " + Describe.value(id)
                    + " (expected: " + ENVELOPE + " with an integer or string id)");
        }
        return id;
    }

    private static CodecException notAnInteger(String what, Object value) {
        return new CodecException("message " + what + " is not an integer: " + Describe.value(value)
                + " (expected: " + ENVELOPE + " with an integer " + what + ")");
    }

    private static CodecException twoElements(MessageType type, Object id) {
        return new CodecException("message envelope has 2 elements: [" + type.code() + ", " + id
                + "] (expected: " + ENVELOPE + ")");
    }

    private static CodecException moreThanThree(MessageType type, Object id, Object content) {
        return new CodecException("message envelope has more than 3 elements: [" + type.code()
                + ", " + id + ", " + Describe.text(content) + ", ...] (expected: " + ENVELOPE + ")");
    }

    private static Message envelope(MessageType type, Object id, Object content) {
        if (type == MessageType.FAILURE && !(content instanceof String)) {
            throw new CodecException("failure message content is not a string: "
                    + Describe.value(content) + " (expected: the remote stack trace as text)");
        }
        return new Message(type, id, content);
    }

    /** Rejects JSON that is not well-formed UTF-8: Jackson lets overlong forms and surrogates through. */
    private static void checkUtf8(byte[] data, int offset, int length) {
        int bad = Utf8.firstMalformed(data, offset, length);
        if (bad >= 0) {
            throw new CodecException("json data is not valid UTF-8: byte 0x"
                    + String.format("%02X", data[offset + bad] & 0xff) + " at byte " + bad
                    + " is malformed (expected: well-formed UTF-8 text)");
        }
    }

    /** {@return the message id: an integer in signed 64-bit range, or a string (as a peer may number its requests)} */
    private Object envelopeId(ValueReader reader) throws IOException {
        JsonToken token = reader.next(ENVELOPE);
        if (token == JsonToken.END_ARRAY) {
            throw new CodecException("message envelope ends before its id (expected: " + ENVELOPE + ")");
        }
        return checkedId(token == JsonToken.VALUE_NUMBER_INT ? reader.integer() : reader.read(token, 1));
    }

    private Number envelopeInteger(ValueReader reader, String what) throws IOException {
        JsonToken token = reader.next(ENVELOPE);
        if (token == JsonToken.END_ARRAY) {
            throw new CodecException("message envelope ends before its " + what
                    + " (expected: " + ENVELOPE + ")");
        }
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw notAnInteger(what, reader.read(token, 1));
        }
        return reader.integer();
    }

    private CodecException notEnvelope(ValueReader reader, JsonParser in) throws IOException {
        Object value = reader.read(in.currentToken(), 0);
        return new CodecException("message envelope is not an array: " + Describe.value(value)
                + " (expected: " + ENVELOPE + ")");
    }

    private CodecException malformed(Exception e, String expected) {
        return new CodecException(format.formatName() + " data is malformed: " + message(e)
                + " (expected: " + expected + ")", e);
    }

    private static String message(Exception e) {
        String text = e instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
        if (text == null) {
            return e.getClass().getSimpleName();
        }
        int lineBreak = text.indexOf('\n');
        return lineBreak < 0 ? text : text.substring(0, lineBreak);
    }

    /** {@return the codec's name and registered types, for example {@code json Serializers[]}} */
    @Override
    public String toString() {
        return format.formatName() + " " + serializers;
    }
}
