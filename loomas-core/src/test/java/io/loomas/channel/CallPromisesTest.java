package io.loomas.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import io.loomas.testing.TransportCase;
import io.loomas.transport.ConnectionClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a time limit bounds and what giving up does to a request, on every transport and codec:
 * a timeout covers the wait for write room too, a caller that gives up while waiting for room
 * leaves nothing queued, a late reply never breaks the connection for the others, abandoned
 * requests leave no bookkeeping behind, and a reply that cannot be sent reaches the caller as a
 * failure.
 */
@Timeout(30)
class CallPromisesTest {
    private static final int BIG = 64 * 1024;

    /** Small buffers, so a peer that stops reading fills them after a few frames. */
    private static ChannelOptions smallBuffers(TransportCase tc) {
        ChannelOptions o = tc.options().withInboxCapacity(1);
        return o.withTransportOptions(o.transportOptions().withWriteBufferSize(BIG));
    }

    /** Sends big requests from a task until the write buffer is full and it waits for room. */
    private static Task<Void> fillUntilFull(Channel channel, AtomicInteger queued) {
        String big = "x".repeat(BIG);
        Task<Void> filler = Loop.current().spawn("filler", () -> {
            while (true) {
                channel.request(big);
                queued.incrementAndGet();
            }
        });
        // The filler parks only where it waits for room; the writer's progress may wake it again.
        Loop.runUntilIdle();
        assertThat(filler.isDone()).as("the filler waits for room").isFalse();
        return filler;
    }

    /** {@return whether {@code task} is parked in a connection's wait for write room} */
    private static boolean waitsForRoom(Task<?> task) {
        boolean inSend = false;
        for (StackTraceElement e : task.stackTrace()) {
            inSend |= e.getClassName().endsWith("FramedConnection") && e.getMethodName().equals("send");
        }
        return inSend && !task.isDone();
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aSendTimeoutBoundsTheWaitForWriteRoomAndAGivenUpSendLeavesNothingBehind(TransportCase tc) {
        Loop.run(() -> {
            ChannelOptions options = smallBuffers(tc);
            Promise<Void> release = new Promise<>();
            List<Object> received = java.util.Collections.synchronizedList(new ArrayList<>());
            Server server = Channels.startServer(tc.freshAddress(), channel -> {
                release.await(); // reads nothing until then: its buffers fill up
                try {
                    while (true) {
                        Request r = channel.recv();
                        received.add(r.content());
                        r.reply(r.content());
                    }
                } catch (ConnectionClosedException e) {
                    // the client is gone
                }
            }, options);
            try (Channel channel = Channels.connect(server.address(), options)) {
                AtomicInteger queued = new AtomicInteger();
                Task<Void> filler = fillUntilFull(channel, queued);

                // The timeout covers the wait for room (it used to wait without limit). The kernel
                // may still take a few frames at first; each of those times out on its reply.
                Clock clock = Loop.current().clock();
                TimeoutException roomTimeout = null;
                String timedOut = null;
                for (int i = 0; i < 100 && roomTimeout == null; i++) {
                    String content = "timed out " + i;
                    Duration start = clock.now();
                    try {
                        channel.send(content, Duration.ofMillis(50));
                    } catch (TimeoutException e) {
                        assertThat(clock.now().minus(start)).isLessThan(Duration.ofSeconds(5));
                        if (e.getMessage().contains("waiting for room to send")) {
                            roomTimeout = e;
                            timedOut = content;
                        }
                    }
                }
                assertThat(roomTimeout).as("a send that timed out waiting for room").isNotNull();

                // A task cancelled while it waits for room sends nothing.
                Task<Object> victim = null;
                for (int i = 0; i < 100 && victim == null; i++) {
                    Task<Object> t = Loop.current().spawn("victim", () -> channel.send("cancelled"));
                    Loop.runUntilIdle();
                    if (waitsForRoom(t)) {
                        victim = t;
                    }
                }
                assertThat(victim).as("a sender that waits for room").isNotNull();
                victim.cancel();
                assertThatThrownBy(victim::await).isInstanceOf(CancelledException.class);
                filler.cancel();
                assertThatThrownBy(filler::await).isInstanceOf(CancelledException.class);

                // The peer reads again: every queued request is answered, no frame of the callers
                // who gave up while waiting for room was written, and late replies to those that
                // gave up on the reply did not break the connection.
                release.complete(null);
                assertThat(channel.send("after")).isEqualTo("after");
                assertThat(received).doesNotContain(timedOut).doesNotContain("cancelled");
                assertThat(channel.isOpen()).isTrue();
                assertThat(channel.pendingCount()).isZero();
                assertThat(channel.abandonedCount()).isZero();
            } finally {
                release.complete(null);
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aLateReplyToATimedOutOrCancelledRequestIsDroppedAndOtherCallersGoOn(TransportCase tc) {
        Loop.run(() -> {
            Promise<Void> answerLate = new Promise<>();
            AtomicInteger lateAnswered = new AtomicInteger();
            Promise<Void> allLateAnswered = new Promise<>();
            Server server = Channels.startServer(tc.freshAddress(), channel -> {
                try {
                    while (true) {
                        Request r = channel.recv();
                        if (r.content() instanceof String s && s.startsWith("late")) {
                            Loop.current().spawn(() -> {
                                answerLate.await(); // answers only after the caller gave up
                                r.reply(r.content());
                                if (lateAnswered.incrementAndGet() == 3) {
                                    allLateAnswered.complete(null);
                                }
                                return null;
                            });
                        } else {
                            r.reply(r.content());
                        }
                    }
                } catch (ConnectionClosedException e) {
                    // the client is gone
                }
            }, tc.options());
            try (Channel channel = Channels.connect(server.address(), tc.options())) {
                assertThatThrownBy(() -> channel.send("late 1", Duration.ofMillis(20)))
                        .isInstanceOf(TimeoutException.class).hasMessageContaining("waiting for the reply");
                Task<Object> cancelled = Loop.current().spawn(() -> channel.send("late 2"));
                io.loomas.runtime.Future<Object> abandoned = channel.request("late 3");
                Loop.runUntilIdle();
                cancelled.cancel();
                abandoned.cancel();
                assertThatThrownBy(cancelled::await).isInstanceOf(CancelledException.class);
                assertThat(channel.pendingCount()).as("given-up requests leave the pending calls").isZero();
                assertThat(channel.abandonedCount()).isEqualTo(3);
                answerLate.complete(null);
                allLateAnswered.await();
                // The late replies were written before this one's (one connection, in order): dropped.
                assertThat(channel.send("on time")).isEqualTo("on time");
                assertThat(channel.isOpen()).isTrue();
                assertThat(channel.abandonedCount()).isZero();
            } finally {
                answerLate.complete(null);
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void twoHundredTimeoutsLeaveNoPendingEntries(TransportCase tc) {
        Loop.run(() -> {
            Server server = Channels.startServer(tc.freshAddress(), channel -> {
                try {
                    while (true) {
                        channel.recv(); // never answered
                    }
                } catch (ConnectionClosedException e) {
                    // the client is gone
                }
            }, tc.options());
            try (Channel channel = Channels.connect(server.address(), tc.options())) {
                List<Task<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    calls.add(Loop.current().spawn(() -> channel.send(n, Duration.ofMillis(20))));
                }
                for (Task<Object> call : calls) {
                    assertThatThrownBy(call::await).isInstanceOf(TimeoutException.class);
                }
                assertThat(channel.pendingCount()).isZero();
                assertThat(channel.abandonedCount()).isEqualTo(200);
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aReplyLargerThanTheFrameLimitReachesTheCallerAsAFailure(TransportCase tc) {
        Loop.run(() -> {
            ChannelOptions options = tc.options().withMaxFrameSize(BIG);
            Server server = Channels.startServer(tc.freshAddress(), channel -> {
                try {
                    while (true) {
                        Request r = channel.recv();
                        r.reply("y".repeat(2 * BIG));
                    }
                } catch (ConnectionClosedException e) {
                    // the client is gone
                }
            }, options);
            try (Channel channel = Channels.connect(server.address(), options)) {
                assertThatThrownBy(() -> channel.send("give me too much", Duration.ofSeconds(10)))
                        .isInstanceOf(RemoteException.class)
                        .hasMessageContaining("the reply to request 0 cannot be sent")
                        .hasMessageContaining("frame too large to send");
                assertThat(channel.isOpen()).isTrue(); // the connection goes on
                assertThatThrownBy(() -> channel.send("again", Duration.ofSeconds(10)))
                        .isInstanceOf(RemoteException.class).hasMessageContaining("the reply to request 1 cannot be sent");
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }
}
