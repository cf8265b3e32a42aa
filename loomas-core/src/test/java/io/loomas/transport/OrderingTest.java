package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.transport.Fixtures.Pair;
import io.loomas.transport.Fixtures.Recorder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Frames arrive in the order they were sent, each whole, however many senders there are. */
class OrderingTest {
    private static final TransportOptions OPTIONS = TransportOptions.DEFAULT;

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void tenThousandFramesFromOneThreadArriveInOrder(String transport) throws IOException {
        int n = 10_000;
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            for (int i = 0; i < n; i++) {
                pair.client().send(Fixtures.numbered(i, 4 + i % 97));
            }
            for (int i = 0; i < n; i++) {
                byte[] f = server.next();
                assertThat(Fixtures.numberOf(f)).as("frame #%d", i).isEqualTo(i);
                assertThat(f).isEqualTo(Fixtures.numbered(i, 4 + i % 97));
            }
        }
    }

    /** A payload naming its sender and sequence number, filled with a byte pattern derived from both. */
    private static byte[] tagged(int sender, int seq, int size) {
        byte[] p = new byte[size];
        ByteBuffer.wrap(p).putInt(sender).putInt(seq);
        for (int i = 8; i < size; i++) {
            p[i] = (byte) (sender * 31 + seq * 7 + i);
        }
        return p;
    }

    /** Checks that every frame is whole and each sender's frames came in its order. */
    private static void assertIntactAndInOrderPerSender(Recorder server, int senders, int perSender) {
        int[] next = new int[senders];
        for (int i = 0; i < senders * perSender; i++) {
            byte[] f = server.next();
            ByteBuffer b = ByteBuffer.wrap(f);
            int sender = b.getInt();
            int seq = b.getInt();
            assertThat(sender).as("sender id of frame #%d", i).isBetween(0, senders - 1);
            assertThat(seq).as("sequence number from sender %d", sender).isEqualTo(next[sender]);
            assertThat(f).as("frame %d of sender %d", seq, sender).isEqualTo(tagged(sender, seq, sizeOf(seq)));
            next[sender]++;
        }
        assertThat(server.frames).isEmpty();
    }

    private static int sizeOf(int seq) {
        return 8 + (seq * 4099) % 20_000; // up to ~20 KB: large enough for partial socket writes
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void framesSentConcurrentlyFromSeveralTasksEachArriveIntact(String transport) throws IOException {
        int senders = 8;
        int perSender = 300;
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            Loop.run(() -> {
                Loop loop = Loop.current();
                List<Task<Void>> tasks = new ArrayList<>();
                for (int s = 0; s < senders; s++) {
                    int sender = s;
                    tasks.add(loop.spawn("sender-" + s, () -> {
                        for (int seq = 0; seq < perSender; seq++) {
                            pair.client().send(tagged(sender, seq, sizeOf(seq)));
                            Loop.yieldNow(); // let the other senders in between
                        }
                        return null;
                    }));
                }
                Future.all(tasks).await();
                return null;
            });
            assertIntactAndInOrderPerSender(server, senders, perSender);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void framesSentInParallelFromSeveralLoopsEachArriveIntact(String transport) throws Exception {
        int senders = 4;
        int perSender = 300;
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            // One loop per sender: their tasks really run at the same time.
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                threads.add(Thread.ofVirtual().start(() -> Loop.run(() -> {
                    for (int seq = 0; seq < perSender; seq++) {
                        pair.client().send(tagged(sender, seq, sizeOf(seq)));
                    }
                    return null;
                })));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertIntactAndInOrderPerSender(server, senders, perSender);
        }
    }
}
