package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Loop;
import io.loomas.transport.Fixtures.Pair;
import io.loomas.transport.Fixtures.Recorder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Frames that tasks send while other tasks of their loop are ready reach the writer together, once
 * the loop has no ready task: one write for the frames of tasks woken together. What must hold
 * meanwhile: the call order of frames, the frames sent before a close, a loop that is never idle,
 * a task that spins on {@code yieldNow}, and a task alone that holds the loop after its send.
 */
class TurnBatchingTest {
    private static final TransportOptions OPTIONS = TransportOptions.DEFAULT;

    /** A connection without a medium that records the frames of each write. */
    private static final class RecordingConnection extends FramedConnection {
        final List<List<Integer>> writes = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        final CountDownLatch firstWrite = new CountDownLatch(1);

        RecordingConnection() {
            super(Address.local("recording"), Address.local("recording-peer"), OPTIONS);
        }

        @Override
        byte[] readFrame() throws IOException {
            try {
                closed.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return null;
        }

        @Override
        void writeFrames(List<byte[]> frames) {
            writes.add(frames.stream().map(Fixtures::numberOf).toList());
            firstWrite.countDown();
        }

        @Override
        void closeMedium() {
            closed.countDown();
        }
    }

    /** Records frames and says when the first has come. */
    private static final class Arrivals extends Recorder {
        final CountDownLatch first = new CountDownLatch(1);

        @Override
        public void onFrame(byte[] payload) {
            first.countDown();
            super.onFrame(payload);
        }

        boolean arrived() {
            return first.getCount() == 0;
        }

        /**
         * Spins on {@code yieldNow}, as the task under test does, until a frame has come or the
         * patience is over (wall time: the frame comes from another thread). {@return the yields}
         */
        long yieldUntilArrived() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Fixtures.PATIENCE_SECONDS);
            long n = 0;
            while (!arrived() && System.nanoTime() < deadline) {
                Loop.yieldNow();
                n++;
            }
            return n;
        }
    }

    @Test
    void theFramesOfTasksReadyTogetherGoOutInOneWriteInTheirOrder() throws Exception {
        RecordingConnection c = new RecordingConnection();
        c.start(new Recorder());
        c.send(Fixtures.numbered(100, 8)); // from outside the loop: written alone, and the writer waits for more
        assertThat(c.firstWrite.await(Fixtures.PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        Loop.run(() -> {
            List<io.loomas.runtime.Task<Object>> senders = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                senders.add(Loop.current().spawn("sender-" + i, () -> {
                    c.send(Fixtures.numbered(n, 8));
                    return null;
                }));
            }
            for (var sender : senders) {
                sender.await();
            }
            return null;
        });
        c.close();
        assertThat(c.closed.await(Fixtures.PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(c.writes).containsExactly(List.of(100), List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    }

    /** A thread outside the loop sends while a task's frame waits for the loop: it goes after it. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void aFrameFromOutsideTheLoopGoesAfterTheFramesStagedBeforeIt(String transport) throws Exception {
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            Loop.run(() -> {
                Loop.current().spawn("ready", () -> null); // makes the next send wait for the loop
                pair.client().send(Fixtures.numbered(0, 8));
                Thread outside = Thread.ofPlatform().start(() -> pair.client().send(Fixtures.numbered(1, 8)));
                outside.join();
                // Still holding the loop (on purpose): the outside frame went out at once, the staged one before it.
                assertThat(Fixtures.numberOf(server.next())).isZero();
                assertThat(Fixtures.numberOf(server.next())).isOne();
                return null;
            });
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void framesStagedBeforeACloseGoOutBeforeIt(String transport) throws IOException {
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            Loop.run(() -> {
                Loop.current().spawn("ready", () -> null);
                for (int i = 0; i < 5; i++) {
                    pair.client().send(Fixtures.numbered(i, 100));
                }
                pair.client().close();
                return null;
            });
            for (int i = 0; i < 5; i++) {
                assertThat(Fixtures.numberOf(server.next())).as("frame #%d", i).isEqualTo(i);
            }
            assertThat(server.awaitClose()).isNull();
        }
    }

    /** Two tasks that yield to each other forever: the loop never runs out of ready tasks. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void aLoopThatIsNeverIdleStillSendsWithinABoundedNumberOfTurns(String transport) throws IOException {
        Arrivals server = new Arrivals();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            long yields = Loop.run(() -> {
                var other = Loop.current().spawn("other", () -> {
                    while (!server.arrived()) {
                        Loop.yieldNow();
                    }
                    return null;
                });
                pair.client().send(Fixtures.numbered(7, 8));
                long n = server.yieldUntilArrived(); // the frame must go out after a few dozen turns, not never
                other.cancel();
                return n;
            });
            assertThat(server.arrived()).as("the frame arrived while the loop stayed busy (%d yields)", yields).isTrue();
            assertThat(Fixtures.numberOf(server.next())).isEqualTo(7);
        }
    }

    /** The task that sent spins on yieldNow once the others are done: no hand-off, but no task is ready. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void aTaskSpinningOnYieldNowAloneStillSends(String transport) throws IOException {
        Arrivals server = new Arrivals();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            Loop.run(() -> {
                Loop.current().spawn("ready", () -> null);
                pair.client().send(Fixtures.numbered(3, 8));
                server.yieldUntilArrived();
                return null;
            });
            assertThat(server.arrived()).as("the frame arrived while its sender spun on yieldNow").isTrue();
        }
    }

    /**
     * A task alone on its loop sends and then blocks the loop (which no task should, but a test
     * might) until the peer has the frame: with no other task ready, the frame goes out at once.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void aTaskAloneOnItsLoopSendsAtOnce(String transport) throws IOException {
        Arrivals server = new Arrivals();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            boolean got = Loop.run(() -> {
                pair.client().send(Fixtures.numbered(5, 8));
                return server.first.await(Fixtures.PATIENCE_SECONDS, TimeUnit.SECONDS); // holds the loop
            });
            assertThat(got).as("the frame arrived while its sender held the loop").isTrue();
        }
    }

    /**
     * Many tasks of one loop send with random yields and sizes (so frames are staged, flushed at
     * idle, at the turn bound and past 64 KiB), a thread outside the loop sends meanwhile, and the
     * last task closes: each sender's frames must all arrive, in its order. Bounded in frames and
     * time; the seed is in the test's name.
     */
    @ParameterizedTest(name = "[{0}, seed={1}]")
    @org.junit.jupiter.params.provider.CsvSource({"tcp, 1", "tcp, 2", "unix, 3", "unix, 4", "local, 5", "local, 6",
        "tls, 7", "tls, 8"})
    @org.junit.jupiter.api.Timeout(60)
    void eachSendersFramesArriveInItsOrderWhateverTheInterleaving(String transport, long seed) throws Exception {
        int tasks = 8;
        int perSender = 300;
        Recorder server = new Recorder();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            java.util.Random random = new java.util.Random(seed);
            long[] taskSeeds = random.longs(tasks + 1).toArray();
            Thread outside = Thread.ofPlatform().unstarted(() -> {
                java.util.Random r = new java.util.Random(taskSeeds[tasks]);
                for (int i = 0; i < perSender; i++) {
                    pair.client().send(Fixtures.numbered(tasks * 100_000 + i, 4 + r.nextInt(3000)));
                }
            });
            Loop.run(() -> {
                List<io.loomas.runtime.Task<Object>> senders = new java.util.ArrayList<>();
                for (int k = 0; k < tasks; k++) {
                    int sender = k;
                    senders.add(Loop.current().spawn("sender-" + k, () -> {
                        java.util.Random r = new java.util.Random(taskSeeds[sender]);
                        for (int i = 0; i < perSender; i++) {
                            pair.client().send(Fixtures.numbered(sender * 100_000 + i, 4 + r.nextInt(r.nextInt(10) == 0 ? 40_000 : 300)));
                            if (r.nextInt(3) == 0) {
                                Loop.yieldNow();
                            }
                        }
                        return null;
                    }));
                }
                outside.start();
                for (var t : senders) {
                    t.await();
                }
                return null;
            });
            outside.join();
            pair.client().close();
            assertThat(server.awaitClose()).as("seed %d", seed).isNull();
            int[] next = new int[tasks + 1];
            for (byte[] frame : server.frames) {
                int n = Fixtures.numberOf(frame);
                int sender = n / 100_000;
                assertThat(n % 100_000).as("seed %d: frame of sender %d", seed, sender).isEqualTo(next[sender]);
                next[sender]++;
            }
            assertThat(next).as("seed %d: frames per sender", seed).containsOnly(perSender);
        }
    }

    /**
     * A task alone on its loop that says it has more work queued (a receiver with requests waiting)
     * sends its frames in one write: when it gives up the loop, or at once when it flushes.
     */
    @Test
    void aTaskWithWorkAheadSendsItsFramesTogetherWhenItWaitsOrFlushes() throws Exception {
        RecordingConnection c = new RecordingConnection();
        c.start(new Recorder());
        Loop.run(() -> {
            io.loomas.runtime.internal.TurnBatching.workAhead(true, false);
            c.send(Fixtures.numbered(0, 8));
            c.send(Fixtures.numbered(1, 8));
            assertThat(c.firstWrite.await(50, TimeUnit.MILLISECONDS)).as("staged while work is ahead").isFalse();
            io.loomas.runtime.internal.TurnBatching.workAhead(false, false); // the last of the work
            c.send(Fixtures.numbered(2, 8));
            Loop.current().clock().sleep(java.time.Duration.ofMillis(1)); // gives up the loop: they go
            assertThat(c.firstWrite.await(Fixtures.PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
            io.loomas.runtime.internal.TurnBatching.workAhead(true, false);
            c.send(Fixtures.numbered(3, 8));
            c.send(Fixtures.numbered(4, 8));
            io.loomas.runtime.internal.TurnBatching.workAhead(false, true); // the bound: they go now
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Fixtures.PATIENCE_SECONDS);
            while (c.writes.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // holds the loop on purpose: the flush alone must send them
            }
            c.send(Fixtures.numbered(5, 8)); // nothing ahead, nobody ready: at once
            return null;
        });
        c.close();
        assertThat(c.closed.await(Fixtures.PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(c.writes).containsExactly(List.of(0, 1, 2), List.of(3, 4), List.of(5));
    }
}
