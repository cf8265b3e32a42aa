package io.loomas.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.internal.OpenResources;
import io.loomas.testing.CallOutcomes;
import io.loomas.testing.TransportCase;
import io.loomas.transport.ConnectionClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many callers on one channel with random timeouts and random cancellations, against a server
 * that answers after random delays and now and then stops reading (small buffers, so senders wait
 * for room), while a second channel is closed under its callers. Every call must end as a result, a
 * timeout, a cancellation or a closed connection; the well-behaved callers' calls must all succeed;
 * nothing may be left behind. Bounded: 400 calls per case. {@code -Dloomas.stress.seed=N} replays.
 */
@Timeout(60)
class CallStressTest {
    private static final long SEED = Long.getLong("loomas.stress.seed", 20261201L);
    private static final int CALLS = 400;

    /** A request: how long the server waits before answering, whether it stops reading meanwhile. */
    private static Map<String, Object> request(int n, int delayMillis, boolean pauseReading, int padding) {
        return Map.of("n", n, "delay", delayMillis, "pause", pauseReading, "pad", "p".repeat(padding));
    }

    private static ConnectionHandler slowAndStalling() {
        return channel -> {
            List<Task<Void>> answering = new ArrayList<>();
            try {
                while (true) {
                    Request r = channel.recv();
                    Map<?, ?> m = (Map<?, ?>) r.content();
                    Duration delay = Duration.ofMillis(((Number) m.get("delay")).longValue());
                    if (Boolean.TRUE.equals(m.get("pause"))) {
                        Loop.current().clock().sleep(delay); // stops reading: its inbox and buffers fill
                        r.reply(m.get("n"));
                    } else {
                        answering.add(Loop.current().spawn(() -> {
                            Loop.current().clock().sleep(delay);
                            r.reply(m.get("n"));
                            return null;
                        }));
                    }
                }
            } catch (ConnectionClosedException e) {
                // the client is gone
            } finally {
                answering.forEach(Task::cancel);
                Future.allSettled(answering).await(); // replies to a closed channel fail: that is fine
                for (Task<Void> t : answering) {
                    if (t.isFailed()) {
                        assertThat(t.exception()).isInstanceOf(ConnectionClosedException.class);
                    }
                }
            }
        };
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void callsEndCleanlyUnderRandomTimeoutsCancellationsStallsAndCloses(TransportCase tc) {
        long seed = SEED ^ tc.toString().hashCode();
        SplittableRandom random = new SplittableRandom(seed);
        ChannelOptions small = tc.options().withInboxCapacity(4);
        ChannelOptions options = small.withTransportOptions(small.transportOptions().withWriteBufferSize(16 * 1024));
        Map<String, Integer> outcomes = new TreeMap<>();
        Loop.run(() -> {
            Loop loop = Loop.current();
            Server server = Channels.startServer(tc.freshAddress(), slowAndStalling(), options);
            try {
                Channel shared = Channels.connect(server.address(), options);
                Channel doomed = Channels.connect(server.address(), options);
                List<Task<Object>> calls = new ArrayList<>();
                List<Task<Object>> wellBehaved = new ArrayList<>();
                List<Task<?>> cancellers = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    int n = i;
                    int kind = random.nextInt(10);
                    Map<String, Object> content = request(n, random.nextInt(8), random.nextInt(20) == 0, random.nextInt(4096));
                    Duration timeout = Duration.ofMillis(1 + random.nextInt(15));
                    if (kind < 2) {
                        wellBehaved.add(loop.spawn("good-" + n, () -> shared.send(content)));
                    } else if (kind < 5) {
                        calls.add(loop.spawn("timed-" + n, () -> shared.send(content, timeout)));
                    } else if (kind < 7) {
                        Task<Object> t = loop.spawn("cancelled-" + n, () -> shared.send(content));
                        calls.add(t);
                        cancellers.add(loop.spawn(() -> {
                            Loop.current().clock().sleep(timeout);
                            t.cancel();
                            return null;
                        }));
                    } else if (kind < 8) {
                        Future<Object> f = shared.request(content);
                        calls.add(loop.spawn("abandoned-" + n, () -> {
                            Loop.current().clock().sleep(timeout);
                            f.cancel();
                            return f.await();
                        }));
                    } else {
                        calls.add(loop.spawn("doomed-" + n, () -> doomed.send(content, Duration.ofSeconds(30))));
                    }
                    if (random.nextInt(4) == 0) {
                        Loop.yieldNow();
                    }
                    if (i == CALLS / 2) {
                        doomed.close(); // under its callers
                    }
                }
                for (Task<Object> good : wellBehaved) {
                    Object reply = good.await();
                    assertThat(reply).as("seed %d: a well-behaved call's reply", seed).isInstanceOf(Number.class);
                    outcomes.merge("result", 1, Integer::sum);
                }
                for (Task<Object> call : calls) {
                    CallOutcomes.count(call, outcomes);
                }
                Future.allSettled(cancellers).await();
                assertThat(shared.isOpen()).as("seed %d: late replies left the shared channel open", seed).isTrue();
                assertThat(shared.send(request(-1, 0, false, 0))).isEqualTo(-1);
                assertThat(shared.pendingCount()).as("seed %d: pending entries left", seed).isZero();
                assertThat(doomed.pendingCount()).as("seed %d: pending entries of the closed channel", seed).isZero();
                shared.close();
            } finally {
                server.close();
                server.awaitClosed();
            }
            Loop.runUntilIdle();
            assertThat(loop.tasks()).as("seed %d: tasks left", seed).containsExactly(Task.current());
            assertThat(OpenResources.of(loop)).as("seed %d: resources left open", seed).isEmpty();
            return null;
        });
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CALLS);
        assertThat(outcomes).as("seed %d: outcomes %s", seed, outcomes).containsKeys("result", "timeout", "cancelled");
    }
}
