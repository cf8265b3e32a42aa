package io.loomas.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The golden frames of WIRE.md, byte for byte, in both directions. */
class GoldenFramesTest {

    private static final Codec JSON = Codec.json();
    private static final Codec MSGPACK = Codec.msgpack();

    /** A passed service, encoded as its router path by the type registered at id 1. */
    record ServiceRef(String path) {
    }

    private static final Serializers AGENT_SERIALIZERS = Serializers.NONE
            .with(java.time.OffsetDateTime.class, Object::toString,
                    data -> java.time.OffsetDateTime.parse((String) data))
            .with(ServiceRef.class, ServiceRef::path, data -> new ServiceRef((String) data));

    private static Message addRequest() {
        return Message.request(0, List.of("add", List.of(3, 4), Map.of()));
    }

    @Test
    void addRequestEncodesToTheGoldenJsonBytes() {
        byte[] payload = JSON.encodeMessage(addRequest());

        assertThat(new String(payload, UTF_8)).isEqualTo("[0, 0, [\"add\", [3, 4], {}]]");
        assertThat(payload).hasSize(0x1b);
    }

    @Test
    void goldenJsonAddRequestDecodes() {
        Message message = JSON.decodeMessage("[0, 0, [\"add\", [3, 4], {}]]".getBytes(UTF_8));

        assertThat(message).isEqualTo(addRequest());
    }

    @Test
    void requestWithKwargsEncodesToTheGoldenJsonBytes() {
        Message request = Message.request(1,
                List.of("my_func", List.of("hello", "world"), Map.of("times", 23)));

        byte[] payload = JSON.encodeMessage(request);

        assertThat(new String(payload, UTF_8))
                .isEqualTo("[0, 1, [\"my_func\", [\"hello\", \"world\"], {\"times\": 23}]]");
        assertThat(payload).hasSize(0x36);
    }

    @Test
    void goldenJsonRequestWithKwargsDecodes() {
        Message message = JSON.decodeMessage(
                "[0, 1, [\"my_func\", [\"hello\", \"world\"], {\"times\": 23}]]".getBytes(UTF_8));

        assertThat(message).isEqualTo(Message.request(1,
                List.of("my_func", List.of("hello", "world"), Map.of("times", 23))));
    }

    @Test
    void resultEncodesToTheGoldenJsonBytes() {
        byte[] payload = JSON.encodeMessage(Message.result(1, "the return value"));

        assertThat(new String(payload, UTF_8)).isEqualTo("[1, 1, \"the return value\"]");
        assertThat(payload).hasSize(0x1a);
    }

    @Test
    void goldenJsonResultDecodes() {
        Message message = JSON.decodeMessage("[1, 1, \"the return value\"]".getBytes(UTF_8));

        assertThat(message).isEqualTo(Message.result(1, "the return value"));
    }

    @Test
    void msgpackRequestWithBytesEncodesToTheGoldenBytes() {
        Message request = Message.request(0,
                List.of("add", List.of(new byte[] {0, 1}, new byte[] {2}), Map.of()));

        byte[] payload = MSGPACK.encodeMessage(request);

        assertThat(HexFormat.ofDelimiter(" ").formatHex(payload))
                .isEqualTo("93 00 00 93 a3 61 64 64 92 c4 02 00 01 c4 01 02 80");
    }

    @Test
    @SuppressWarnings("unchecked")
    void goldenMsgpackRequestDecodesWithBinAsByteArrays() {
        byte[] payload = HexFormat.of().parseHex("93000093a3616464" + "92c4020001c4010280");

        Message message = MSGPACK.decodeMessage(payload);

        assertThat(message.type()).isEqualTo(MessageType.REQUEST);
        assertThat(message.id()).isEqualTo(0L);
        List<?> content = (List<?>) message.content();
        assertThat(content.get(0)).isEqualTo("add");
        assertThat((List<Object>) content.get(1)).containsExactly(new byte[] {0, 1}, new byte[] {2});
        assertThat(content.get(2)).isEqualTo(Map.of());
    }

    @Test
    void agentConversationLinesEncodeAsAiomasWroteThem() {
        Codec codec = JSON.withSerializers(AGENT_SERIALIZERS);
        Map<Message, String> lines = new java.util.LinkedHashMap<>();
        lines.put(Message.request(0, List.of("validate_aid", List.of("0"), Map.of())),
                "[0, 0, [\"validate_aid\", [\"0\"], {}]]");
        lines.put(Message.result(0, "Callee"), "[1, 0, \"Callee\"]");
        lines.put(Message.request(2, List.of("agents/0/spam", List.of(2), Map.of())),
                "[0, 2, [\"agents/0/spam\", [2], {}]]");
        lines.put(Message.result(2, "spamspam"), "[1, 2, \"spamspam\"]");
        lines.put(Message.request(3, List.of("agents/1/register", List.of(new ServiceRef("agents/0")), Map.of())),
                "[0, 3, [\"agents/1/register\", [{\"__type__\": [1, \"agents/0\"]}], {}]]");
        lines.put(Message.result(3, "SPAM"), "[1, 3, \"SPAM\"]");
        lines.put(Message.result(5, null), "[1, 5, null]");

        lines.forEach((message, line) ->
                assertThat(new String(codec.encodeMessage(message), UTF_8)).isEqualTo(line));
    }

    @Test
    void agentConversationLinesDecodeToTheirMessages() {
        Codec codec = JSON.withSerializers(AGENT_SERIALIZERS);

        assertThat(codec.decodeMessage(
                "[0, 3, [\"agents/1/register\", [{\"__type__\": [1, \"agents/0\"]}], {}]]".getBytes(UTF_8)))
                .isEqualTo(Message.request(3,
                        List.of("agents/1/register", List.of(new ServiceRef("agents/0")), Map.of())));
        assertThat(codec.decodeMessage("[1, 5, null]".getBytes(UTF_8))).isEqualTo(Message.result(5, null));
        assertThat(codec.decodeMessage("[1, 0, \"Callee\"]".getBytes(UTF_8)))
                .isEqualTo(Message.result(0, "Callee"));
    }

    @Test
    void compactJsonEnvelopeDecodesLikeTheSpacedOne() {
        Message message = JSON.decodeMessage("[0,0,[\"add\",[3,4],{}]]".getBytes(UTF_8));

        assertThat(message).isEqualTo(addRequest());
    }

    @Test
    void failureMessageRoundTripsItsText() {
        Message failure = Message.failure(7, "java.lang.IllegalStateException: boom\n\tat X.y(X.java:1)");

        assertThat(new String(JSON.encodeMessage(failure), UTF_8))
                .isEqualTo("[2, 7, \"java.lang.IllegalStateException: boom\\n\\tat X.y(X.java:1)\"]");
        assertThat(JSON.decodeMessage(JSON.encodeMessage(failure))).isEqualTo(failure);
        assertThat(MSGPACK.decodeMessage(MSGPACK.encodeMessage(failure))).isEqualTo(failure);
    }

    @Test
    void messageDecodesFromASliceOfALargerBuffer() {
        byte[] payload = MSGPACK.encodeMessage(Message.result(9, "x"));
        byte[] buffer = new byte[payload.length + 6];
        System.arraycopy(payload, 0, buffer, 4, payload.length);

        assertThat(MSGPACK.decodeMessage(buffer, 4, payload.length)).isEqualTo(Message.result(9, "x"));
        byte[] json = JSON.encodeMessage(Message.result(9, "x"));
        byte[] jsonBuffer = new byte[json.length + 6];
        System.arraycopy(json, 0, jsonBuffer, 4, json.length);
        assertThat(JSON.decodeMessage(jsonBuffer, 4, json.length)).isEqualTo(Message.result(9, "x"));
    }

    @Test
    void largeIdsSurviveTheEnvelope() {
        Message message = Message.result(Long.MAX_VALUE, 1);

        assertThat(JSON.decodeMessage(JSON.encodeMessage(message))).isEqualTo(message);
        assertThat(MSGPACK.decodeMessage(MSGPACK.encodeMessage(message))).isEqualTo(message);
    }
}
