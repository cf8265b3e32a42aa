package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.transport.Fixtures.Pair;
import io.loomas.transport.Fixtures.Recorder;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer that stops reading makes the sender wait inside {@code send} once the write buffer is
 * full, so memory stays bounded; once it reads again, everything arrives, in order.
 */
class BackPressureTest {
    private static final int WRITE_BUFFER = 64 * 1024;
    private static final int FRAME = 4096;
    private static final TransportOptions OPTIONS = TransportOptions.DEFAULT.withWriteBufferSize(WRITE_BUFFER);
    /** How many yield rounds the sender must stay blocked with no progress before the reader goes on. */
    private static final int QUIET_ROUNDS = 2000;

    /** A handler whose first {@code onFrame} blocks its reader until {@link #release} completes. */
    private static final class StalledReader extends Recorder {
        final Promise<Void> release = new Promise<>();

        @Override
        public void onFrame(byte[] payload) {
            release.await(); // outside any loop: blocks the reader thread, so nothing more is read
            super.onFrame(payload);
        }
    }

    /** A sender that sends numbered frames until told to stop, recording what it is doing. */
    private static final class Sender {
        final Connection connection;
        final AtomicBoolean stop = new AtomicBoolean();
        volatile int attempted; // frames handed to send(), including one still inside it
        volatile boolean inSend;

        Sender(Connection connection) {
            this.connection = connection;
        }

        int run() {
            int i = 0;
            while (!stop.get()) {
                attempted = i + 1;
                inSend = true;
                connection.send(Fixtures.numbered(i, FRAME));
                inSend = false;
                i++;
            }
            return i;
        }
    }

    /**
     * How many frames may be on their way when the sender blocks: the write buffer, one batch in the
     * writer, and for sockets the kernel's send and receive buffers (generously), for local the
     * peer's inbox, which holds about one write buffer.
     */
    private static int allowedInFlight(String transport) {
        int bufferFrames = WRITE_BUFFER / (FRAME + 4);
        return transport.equals("local") ? 2 * bufferFrames + 4 : (WRITE_BUFFER + (32 << 20)) / (FRAME + 4);
    }

    /**
     * Lets the sender run until it waits inside {@code send} with more than the write buffer queued
     * and makes no progress for {@link #QUIET_ROUNDS} rounds of the loop; returns how many frames
     * it had handed over then. While it waits, only this task runs: the sender's one scheduling
     * point is inside {@code send}.
     */
    private static int awaitSenderBlocked(Sender sender, Task<Integer> task, int allowed) {
        int bufferFrames = WRITE_BUFFER / (FRAME + 4);
        int quiet = 0;
        int last = -1;
        while (quiet < QUIET_ROUNDS) {
            Loop.yieldNow();
            assertThat(task.isDone()).as("the sender is still sending").isFalse();
            assertThat(sender.inSend).as("the sender gave up the loop only inside send").isTrue();
            int now = sender.attempted;
            assertThat(now).as("frames handed to send while the peer does not read").isLessThanOrEqualTo(allowed);
            if (now == last && now > bufferFrames) {
                quiet++;
            } else {
                quiet = 0;
                last = now;
            }
        }
        return last;
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void aSenderWaitsInSendWhileThePeerDoesNotReadAndNothingIsLost(String transport) throws IOException {
        StalledReader server = new StalledReader();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            Sender sender = new Sender(pair.client());
            int sent = Loop.run(() -> {
                Loop loop = Loop.current();
                Task<Integer> task = loop.spawn("sender", sender::run);
                int blockedAt = awaitSenderBlocked(sender, task, allowedInFlight(transport));
                assertThat(blockedAt).isGreaterThan(WRITE_BUFFER / (FRAME + 4));
                assertThat(loop.tasks()).contains(task);
                sender.stop.set(true);
                server.release.complete(null);
                return task.await();
            });
            assertThat(sent).isGreaterThan(WRITE_BUFFER / (FRAME + 4));
            for (int i = 0; i < sent; i++) {
                assertThat(server.next()).as("frame #%d", i).isEqualTo(Fixtures.numbered(i, FRAME));
            }
            assertThat(server.frames).isEmpty();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void closingWakesASenderWaitingInSend(String transport) throws IOException {
        StalledReader server = new StalledReader();
        try (Pair pair = Fixtures.connect(transport, OPTIONS, new Recorder(), server)) {
            Sender sender = new Sender(pair.client());
            Loop.run(() -> {
                Task<Integer> task = Loop.current().spawn("sender", sender::run);
                while (!(sender.inSend && sender.attempted > WRITE_BUFFER / (FRAME + 4))) {
                    Loop.yieldNow();
                }
                sender.stop.set(true);
                pair.client().close();
                try {
                    task.await(); // returns, or fails with ConnectionClosedException: it must not hang
                } catch (ConnectionClosedException expected) {
                    // fine
                }
                return null;
            });
            server.release.complete(null);
            assertThat(server.awaitClose()).isNull();
        }
    }

    /**
     * Regression: the close grace used to be armed only after the writer got past its last write,
     * so a peer that never read kept a closed connection, its socket and its threads alive.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void closeEndsAConnectionWhoseWriterIsStuckOnAPeerThatNeverReads(String transport) throws IOException {
        StalledReader server = new StalledReader();
        Recorder client = new Recorder();
        TransportOptions options = OPTIONS.withCloseGrace(Duration.ofMillis(200));
        try (Pair pair = Fixtures.connect(transport, options, client, server)) {
            Sender sender = new Sender(pair.client());
            Loop.run(() -> {
                Task<Integer> task = Loop.current().spawn("sender", sender::run);
                awaitSenderBlocked(sender, task, allowedInFlight(transport));
                sender.stop.set(true);
                pair.client().close();
                try {
                    task.await();
                } catch (ConnectionClosedException expected) {
                    // its last frame found the connection closed
                }
                return null;
            });
            // Within the grace (and some slack), not never (a writer still stuck) and not after the
            // old fixed 10 s (a writer that got through, the peer never closing its side).
            Throwable cause = client.closed.await(Duration.ofSeconds(5));
            if (cause != null) { // the writer was still stuck: aborted, with the reason
                assertThat(cause).hasMessageContaining("took longer than the close grace of PT0.2S");
            }
            assertThat(pair.client().isOpen()).isFalse();
        } finally {
            server.release.complete(null);
        }
    }
}
