package io.loomas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The JSON and MsgPack decoders on arbitrary bytes: a {@link Message}, or a {@link CodecException}
 * with a message; never another exception, an {@code OutOfMemoryError} or a hang. A decoded
 * message encodes again and decodes to the same message. {@code mvn test} runs the committed
 * corpus; FUZZING.md says how to fuzz.
 */
class CodecFuzzTest {

    private static void decodeOrReject(Codec codec, byte[] data) {
        Message m;
        try {
            m = codec.decodeMessage(data);
        } catch (CodecException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        Message again = codec.decodeMessage(codec.encodeMessage(m));
        assertThat(again.type()).isEqualTo(m.type());
        assertThat(again.id()).isEqualTo(m.id());
    }

    @FuzzTest(maxDuration = "30m")
    void jsonMessages(byte[] data) {
        decodeOrReject(Codec.json(), data);
    }

    @FuzzTest(maxDuration = "30m")
    void msgpackMessages(byte[] data) {
        decodeOrReject(Codec.msgpack(), data);
    }
}
