package io.loomas.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * One of the two byte formats: for JSON the shared Jackson factory that reads it (it is written by
 * {@link PythonJsonWriter}), for MsgPack the packer settings (it is read by {@link MsgPackReader});
 * and the few rules in which the formats differ.
 *
 * <p>Thread-safe: the factory and the packer settings are configured once and only used to create
 * parsers and packers.
 */
enum WireFormat {

    /** JSON exactly as Python's {@code json.dumps} writes it. */
    JSON("json"),
    /** MsgPack as Python's {@code msgpack.packb(value, use_bin_type=True)} writes it. */
    MSGPACK("msgpack");

    private static final JsonFactory JSON_FACTORY = jsonFactory();

    private final String formatName;

    WireFormat(String formatName) {
        this.formatName = formatName;
    }

    private static JsonFactory jsonFactory() {
        return JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                // Frames are bounded by the transport's maximum frame size, not by Jackson's.
                // Python reads and writes integers of up to 4300 digits (sys.get_int_max_str_digits).
                // Keys too: Jackson's 50,000-character limit on names refused maps that loomas
                // itself (and Python) writes.
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE).maxNumberLength(4300).build())
                // Virtual threads make thread-local buffer pools useless; share one pool instead.
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                .build();
    }

    /**
     * MsgPack is written on msgpack-core's packer directly. Strings always take its
     * {@code String.getBytes(UTF_8)} path: its other path, a {@code CharsetEncoder} for strings of
     * 512 characters and more, writes the same bytes (the same headers, a lone surrogate as
     * {@code ?}) several times slower.
     */
    private static final MessagePack.PackerConfig PACKER = MessagePack.DEFAULT_PACKER_CONFIG
            .withSmallStringOptimizationThreshold(Integer.MAX_VALUE).withBufferSize(512);

    /** {@return a packer into a growing byte buffer, for one MsgPack frame} */
    static MessageBufferPacker packer() {
        return PACKER.newBufferPacker();
    }

    /** {@return the codec name: {@code "json"} or {@code "msgpack"}} */
    String formatName() {
        return formatName;
    }

    /** {@return a JSON parser reading {@code length} bytes of {@code data} from {@code offset}} */
    JsonParser parser(byte[] data, int offset, int length) throws IOException {
        return JSON_FACTORY.createParser(data, offset, length);
    }

    /**
     * Checks that a JSON {@code parser}, positioned on the last token of the root value, has no
     * more to read but white space. (MsgPack is read by {@link MsgPackReader}, which checks this itself.)
     *
     * @throws CodecException if bytes other than white space follow the value
     */
    void expectEnd(JsonParser parser) throws IOException {
        JsonToken next = parser.nextToken();
        if (next != null) {
            throw new CodecException("json data has trailing content: " + parser.getText()
                    + " at byte " + parser.currentTokenLocation().getByteOffset()
                    + " (expected: exactly one JSON value)");
        }
    }
}
