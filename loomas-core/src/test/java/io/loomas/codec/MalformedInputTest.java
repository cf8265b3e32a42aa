package io.loomas.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Malformed payloads give a CodecException that says what was wrong. */
class MalformedInputTest {

    private static final Codec JSON = Codec.json();
    private static final Codec MSGPACK = Codec.msgpack();

    private static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    @Test
    void garbageJsonIsMalformed() {
        assertThatThrownBy(() -> JSON.decodeMessage(json("[0, 0, @]")))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("json data is malformed: Unexpected character ('@'")
                .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonParseException.class);
    }

    @Test
    void garbageMsgpackIsMalformed() {
        assertThatThrownBy(() -> MSGPACK.decode(hex("c1")))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("msgpack data is malformed:");
    }

    @Test
    void truncatedJsonIsMalformed() {
        assertThatThrownBy(() -> JSON.decodeMessage(json("[0, 0, [\"add\"")))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("json data is malformed: Unexpected end-of-input");
    }

    @Test
    void truncatedMsgpackIsMalformed() {
        byte[] payload = MSGPACK.encodeMessage(Message.result(1, "the return value"));

        assertThatThrownBy(() -> MSGPACK.decodeMessage(Arrays.copyOf(payload, payload.length - 3)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("msgpack str at byte 3 declares 16 bytes, but only 13 bytes follow in the frame");
    }

    @Test
    void trailingJsonAfterTheEnvelopeIsRejected() {
        assertThatThrownBy(() -> JSON.decodeMessage(json("[1, 1, null] 7")))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("json data has trailing content: 7 at byte 13");
    }

    @Test
    void trailingWhitespaceInJsonIsAccepted() {
        org.assertj.core.api.Assertions.assertThat(JSON.decodeMessage(json("[1, 1, null]\n ")))
                .isEqualTo(Message.result(1, null));
    }

    @Test
    void trailingMsgpackBytesAfterTheEnvelopeAreRejected() {
        assertThatThrownBy(() -> MSGPACK.decodeMessage(hex("930101c0" + "cd")))
                .isInstanceOf(CodecException.class)
                .hasMessage("msgpack data has trailing content: 1 bytes after byte 4"
                        + " (expected: exactly one MsgPack value)");
    }

    @Test
    void trailingMsgpackValueAfterAValueIsRejected() {
        assertThatThrownBy(() -> MSGPACK.decode(hex("0102")))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("msgpack data has trailing content");
    }

    @Test
    void envelopeThatIsNotAnArrayIsRejected() {
        assertThatThrownBy(() -> JSON.decodeMessage(json("{\"a\": 1}")))
                .isInstanceOf(CodecException.class)
                .hasMessage("message envelope is not an array: {a=1} (LinkedHashMap)"
                        + " (expected: [type, id, content])");
    }

    @Test
    void envelopeWithTwoElementsIsRejected() {
        assertThatThrownBy(() -> JSON.decodeMessage(json("[1, 1]")))
                .isInstanceOf(CodecException.class)
                .hasMessage("message envelope has 2 elements: [1, 1] (expected: [type, id, content])");
    }

    @Test
    void envelopeWithFourElementsIsRejected() {
        assertThatThrownBy(() -> MSGPACK.decodeMessage(hex("94010101c0")))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("message envelope has more than 3 elements: [1, 1, 1, ...]");
    }

    @Test
    void emptyEnvelopeIsRejected() {
        assertThatThrownBy(() -> JSON.decodeMessage(json("[]")))
                .isInstanceOf(CodecException.class)
                .hasMessage("message envelope ends before its type (expected: [type, id, content])");
    }

    /** Ids are integers or, as a peer may number its requests so (aiomas answers any id), strings. */
    @Test
    void anIdThatIsNeitherAnIntegerNorAStringIsRejected() {
        assertThat(JSON.decodeMessage(json("[0, \"abc\", null]")).id()).isEqualTo("abc");
        assertThat(MSGPACK.decodeMessage(MSGPACK.encodeMessage(Message.result("abc", 1))).id()).isEqualTo("abc");
        assertThat(JSON.encodeMessage(Message.failure("x-1", "boom"))).asString(UTF_8).isEqualTo("[2, \"x-1\", \"boom\"]");
        assertThatThrownBy(() -> JSON.decodeMessage(json("[1, 1.5, null]")))
                .isInstanceOf(CodecException.class)
                .hasMessage("message id is neither an integer nor a string: 1.5 (Double)"
                        + " (expected: [type, id, content] with an integer or string id)");
        assertThatThrownBy(() -> JSON.decodeMessage(json("[1, null, null]")))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("message id is neither an integer nor a string: null");
    }

    @Test
    void idBeyond64BitsIsRejected() {
        assertThatThrownBy(() -> JSON.decodeMessage(json("[1, 9223372036854775808, null]")))
                .isInstanceOf(CodecException.class)
                .hasMessage("message id is out of range: 9223372036854775808"
                        + " (expected: an id in signed 64-bit range)");
    }

    @Test
    void unknownMessageTypeIsRejected() {
        assertThatThrownBy(() -> JSON.decodeMessage(json("[7, 1, null]")))
                .isInstanceOf(CodecException.class)
                .hasMessage("unknown message type: 7 (expected: 0 request, 1 result, 2 failure)");
    }

    @Test
    void failureWithNonStringContentIsRejected() {
        assertThatThrownBy(() -> MSGPACK.decodeMessage(MSGPACK.encode(java.util.List.of(2, 1, 42))))
                .isInstanceOf(CodecException.class)
                .hasMessage("failure message content is not a string: 42 (Integer)"
                        + " (expected: the remote stack trace as text)");
    }

    @Test
    void emptyPayloadIsTruncated() {
        assertThatThrownBy(() -> JSON.decode(new byte[0]))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("json data is truncated");
    }

    @Test
    void deeplyNestedInputIsRejected() {
        String deep = "[".repeat(1500) + "]".repeat(1500);

        assertThatThrownBy(() -> JSON.decode(json(deep)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("nest");
    }

    @Test
    void messageTypeFromUnknownCodeIsRejected() {
        assertThatThrownBy(() -> MessageType.fromCode(7))
                .isInstanceOf(CodecException.class)
                .hasMessage("unknown message type: 7 (expected: 0 request, 1 result, 2 failure)");
    }

    @Test
    void failureMessageRequiresStringContent() {
        assertThatThrownBy(() -> new Message(MessageType.FAILURE, 1, 42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("failure content is not a string: 42 (Integer)");
    }
}
