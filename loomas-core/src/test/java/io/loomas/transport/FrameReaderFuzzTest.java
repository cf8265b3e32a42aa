package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;

/**
 * The frame reader on arbitrary bytes, delivered in arbitrary pieces: it yields whole frames, a
 * clean end, or a {@link ProtocolException}, and never holds more than twice what arrived (plus
 * its first chunk). {@code mvn test} runs the committed corpus; FUZZING.md says how to fuzz.
 */
class FrameReaderFuzzTest {
    private static final int MAX_FRAME = 1 << 20;

    /** A stream that hands out its bytes in pieces of the sizes the fuzzer chose. */
    private static final class Pieces extends InputStream {
        private final ByteArrayInputStream bytes;
        private final byte[] sizes;
        private int next;

        Pieces(byte[] data, byte[] sizes) {
            this.bytes = new ByteArrayInputStream(data);
            this.sizes = sizes;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int piece = sizes.length == 0 ? len : 1 + (sizes[next++ % sizes.length] & 0xff);
            return bytes.read(b, off, Math.min(len, piece));
        }
    }

    @FuzzTest(maxDuration = "30m")
    void framesOrACleanEndOrAProtocolError(byte[] data) throws IOException {
        int split = data.length == 0 ? 0 : (data[0] & 0x0f);
        byte[] sizes = java.util.Arrays.copyOfRange(data, Math.min(1, data.length), Math.min(1 + split, data.length));
        byte[] stream = java.util.Arrays.copyOfRange(data, Math.min(1 + split, data.length), data.length);
        long[] waits = {0};
        FrameReader reader = new FrameReader(Channels.newChannel(new Pieces(stream, sizes)), MAX_FRAME, "fuzz",
                Address.local("peer"), true, (got, length) -> {
                    // inside the header: some of it is in; inside the payload: the header is
                    assertThat(got).isGreaterThanOrEqualTo(length < 0 ? 1 : 0);
                    waits[0]++;
                });
        long delivered = 0;
        try {
            byte[] frame;
            while ((frame = reader.next()) != null) {
                delivered += 4 + frame.length;
                assertThat(frame.length).isLessThanOrEqualTo(MAX_FRAME);
                assertThat(delivered).isLessThanOrEqualTo(stream.length);
            }
            assertThat(delivered).as("a clean end comes only after every byte").isEqualTo(stream.length);
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).containsAnyOf("ended inside a frame", "frame too large from");
        }
    }
}
