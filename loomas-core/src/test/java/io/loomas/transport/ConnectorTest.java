package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Clock;
import io.loomas.runtime.ExternalClock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimerHandle;
import io.loomas.runtime.internal.ForwardingClock;
import io.loomas.transport.Fixtures.Recorder;
import io.loomas.transport.internal.Connector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Connector}'s retry rule (aiomas): zero means one attempt; a positive timeout retries with
 * back-off 0.5 s, x1.5, at most 30 s, sleeping on the loop's clock; {@link Connector#FOREVER} never
 * gives up.
 */
class ConnectorTest {
    private static final TransportOptions OPTIONS = TransportOptions.DEFAULT;

    /** The transport for the address, counting attempts and keeping the last failure. */
    private static final class CountingTransport implements Transport {
        final Transport transport;
        final AtomicInteger attempts = new AtomicInteger();
        volatile IOException lastFailure;

        CountingTransport(String transport) {
            this.transport = Fixtures.transport(transport);
        }

        @Override
        public Connection connect(Address address, TransportOptions options) throws IOException {
            attempts.incrementAndGet();
            try {
                return transport.connect(address, options);
            } catch (IOException e) {
                lastFailure = e;
                throw e;
            }
        }

        @Override
        public Listener listen(Address address, TransportOptions options, Consumer<Connection> onAccept)
                throws IOException {
            return transport.listen(address, options, onAccept);
        }
    }

    /** An external clock that also records the deadline of every timer scheduled on it. */
    private static final class RecordingClock extends ForwardingClock {
        private final List<Duration> deadlines = Collections.synchronizedList(new ArrayList<>());

        RecordingClock(ExternalClock clock) {
            super(clock);
        }

        List<Duration> deadlines() {
            return deadlines;
        }

        ExternalClock clock() {
            return (ExternalClock) delegate();
        }

        @Override
        public TimerHandle schedule(Duration deadline, Runnable action) {
            deadlines.add(deadline);
            return super.schedule(deadline, action);
        }
    }

    /** {@return an address of {@code transport} where nothing listens, but one may later} */
    private static Address unusedAddress(String transport) {
        if (!transport.equals("tcp") && !transport.equals("tls")) {
            return Fixtures.freshAddress(transport);
        }
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return Address.tcp("127.0.0.1", ((InetSocketAddress) probe.getLocalAddress()).getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Listener listen(String transport, Address address) throws IOException {
        return Fixtures.transport(transport).listen(address, OPTIONS, c -> c.start(new Recorder()));
    }

    /** Yields until the connecting task sleeps in its {@code n}-th back-off (the attempt runs off the loop). */
    private static void awaitBackoff(RecordingClock clock, int n, Task<?> connecting) {
        while (clock.clock().pendingTimers() != 1 || clock.deadlines().size() != n) {
            assertThat(connecting.isDone()).as("the connect is still trying").isFalse();
            Loop.yieldNow();
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void aZeroTimeoutMakesOneAttemptAndFailsAtOnce(String transport) {
        CountingTransport counting = new CountingTransport(transport);
        Address nowhere = unusedAddress(transport);
        assertThatThrownBy(() -> Connector.connect(nowhere, counting, OPTIONS, Duration.ZERO))
                .isInstanceOf(IOException.class)
                .isSameAs(counting.lastFailure);
        assertThat(counting.attempts).hasValue(1);
    }

    @Test
    void aRefusedTcpConnectIsAConnectException() {
        Address nowhere = unusedAddress("tcp");
        assertThatThrownBy(() -> Connector.connect(nowhere, null, OPTIONS, Duration.ZERO))
                .isInstanceOf(ConnectException.class);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void aZeroTimeoutFromATaskMakesOneAttemptAndSetsNoTimer(String transport) {
        RecordingClock clock = new RecordingClock(new ExternalClock(Instant.EPOCH));
        CountingTransport counting = new CountingTransport(transport);
        Address nowhere = unusedAddress(transport);
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            assertThatThrownBy(() -> Connector.connect(nowhere, counting, OPTIONS, Duration.ZERO))
                    .isInstanceOf(IOException.class);
            return null;
        });
        assertThat(counting.attempts).hasValue(1);
        assertThat(clock.deadlines()).isEmpty();
    }

    @Test
    void aNegativeTimeoutIsRejected() {
        assertThatThrownBy(() -> Connector.connect(Address.local("x"), null, OPTIONS, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void aConnectWaitsOnTheLoopClockUntilTheServerStarts(String transport) {
        RecordingClock clock = new RecordingClock(new ExternalClock(Instant.EPOCH));
        Address address = unusedAddress(transport);
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Task<Connection> connecting = Loop.current().spawn("connect",
                    () -> Connector.connect(address, Fixtures.transport(transport), OPTIONS, Duration.ofSeconds(10)));
            awaitBackoff(clock, 1, connecting);
            assertThat(clock.deadlines()).containsExactly(seconds(0.5));
            try (Listener listener = listen(transport, address)) {
                clock.clock().setTime(seconds(0.5));
                Connection c = connecting.await();
                assertThat(c.remoteAddress()).isEqualTo(listener.address());
                c.close();
            }
            return null;
        });
    }

    @Test
    void theBackoffGrowsByHalfEachTimeUpToThirtySecondsAndForeverKeepsTrying() {
        RecordingClock clock = new RecordingClock(new ExternalClock(Instant.EPOCH));
        Address address = unusedAddress("local");
        CountingTransport counting = new CountingTransport("local");
        int retries = 16;
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Task<Connection> connecting = Loop.current().spawn("connect",
                    () -> Connector.connect(address, counting, OPTIONS, Connector.FOREVER));
            List<Duration> expected = new ArrayList<>();
            Duration at = Duration.ZERO;
            Duration pause = seconds(0.5);
            for (int i = 1; i <= retries; i++) {
                awaitBackoff(clock, i, connecting);
                at = at.plus(pause);
                expected.add(at);
                assertThat(clock.deadlines()).containsExactlyElementsOf(expected);
                if (i < retries) {
                    clock.clock().setTime(at);
                    pause = Duration.ofNanos(Math.min((long) (pause.toNanos() * 1.5), Duration.ofSeconds(30).toNanos()));
                }
            }
            List<Duration> pauses = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                pauses.add(expected.get(i).minus(i == 0 ? Duration.ZERO : expected.get(i - 1)));
            }
            assertThat(pauses.subList(0, 3)).containsExactly(seconds(0.5), seconds(0.75), seconds(1.125));
            assertThat(pauses).isSorted().allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofSeconds(30)));
            assertThat(pauses.subList(retries - 3, retries)).containsOnly(Duration.ofSeconds(30));
            assertThat(counting.attempts).hasValue(retries);
            try (Listener listener = listen("local", address)) {
                clock.clock().setTime(at);
                connecting.await().close();
            }
            assertThat(counting.attempts).hasValue(retries + 1);
            return null;
        });
    }

    @Test
    void aBackoffOfOnesOwnSetsThePausesAndJitterSpreadsThemWithinTheirBounds() {
        RecordingClock clock = new RecordingClock(new ExternalClock(Instant.EPOCH));
        Address address = unusedAddress("local");
        CountingTransport counting = new CountingTransport("local");
        // Seeded: the same pauses every run.
        Backoff jittered = Backoff.exponential(seconds(1), 2, seconds(8)).withJitter(0.5, new java.util.SplittableRandom(7));
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Task<Connection> connecting = Loop.current().spawn("connect",
                    () -> Connector.connect(address, counting, OPTIONS, Connector.FOREVER, jittered));
            Duration at = Duration.ZERO;
            List<Duration> pauses = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                awaitBackoff(clock, i, connecting);
                Duration deadline = clock.deadlines().get(i - 1);
                pauses.add(deadline.minus(at));
                at = deadline;
                clock.clock().setTime(at);
            }
            connecting.cancel();
            // Each pause lies in the upper half of 1, 2, 4, 8, 8, 8 s (jitter 0.5), and they are not all the bound.
            Duration[] plain = {seconds(1), seconds(2), seconds(4), seconds(8), seconds(8), seconds(8)};
            for (int i = 0; i < plain.length; i++) {
                assertThat(pauses.get(i)).isBetween(plain[i].dividedBy(2), plain[i]);
            }
            assertThat(pauses).isNotEqualTo(List.of(plain));
            return null;
        });
        assertThat(Backoff.exponential(seconds(1), 2, seconds(8)).withJitter(0.5, new java.util.SplittableRandom(7)).pause(1))
                .as("seeded jitter replays").isEqualTo(pauses(jitteredAgain()).get(0));
        assertThatThrownBy(() -> Backoff.exponential(seconds(1), 0.5, seconds(8))).hasMessageContaining("factor >= 1");
        assertThatThrownBy(() -> Backoff.AIOMAS.withJitter(1.5, new java.util.SplittableRandom())).hasMessageContaining("0 to 1");
    }

    private static Backoff jitteredAgain() {
        return Backoff.exponential(seconds(1), 2, seconds(8)).withJitter(0.5, new java.util.SplittableRandom(7));
    }

    private static List<Duration> pauses(Backoff b) {
        return List.of(b.pause(1), b.pause(2));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.transport.Fixtures#transports")
    void whenTheTimeoutIsUsedUpTheLastFailureIsThrown(String transport) {
        RecordingClock clock = new RecordingClock(new ExternalClock(Instant.EPOCH));
        CountingTransport counting = new CountingTransport(transport);
        Address nowhere = unusedAddress(transport);
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Task<Connection> connecting = Loop.current().spawn("connect",
                    () -> Connector.connect(nowhere, counting, OPTIONS, Duration.ofSeconds(1)));
            awaitBackoff(clock, 1, connecting);
            clock.clock().setTime(seconds(0.5));
            awaitBackoff(clock, 2, connecting);
            // The second pause is cut to what is left of the timeout.
            assertThat(clock.deadlines()).containsExactly(seconds(0.5), seconds(1.0));
            clock.clock().setTime(seconds(1.0));
            assertThatThrownBy(connecting::await)
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(IOException.class).isSameAs(counting.lastFailure);
            return null;
        });
        assertThat(counting.attempts).hasValue(3);
        assertThat(clock.deadlines()).hasSize(2);
    }

    @Test
    void cancellingAConnectThatWaitsStopsIt() {
        RecordingClock clock = new RecordingClock(new ExternalClock(Instant.EPOCH));
        CountingTransport counting = new CountingTransport("local");
        Address nowhere = unusedAddress("local");
        Loop.run(LoopOptions.DEFAULT.withClock(clock), () -> {
            Task<Connection> connecting = Loop.current().spawn("connect",
                    () -> Connector.connect(nowhere, counting, OPTIONS, Connector.FOREVER));
            awaitBackoff(clock, 1, connecting);
            connecting.cancel();
            assertThatThrownBy(connecting::await).isInstanceOf(CancelledException.class);
            assertThat(clock.clock().pendingTimers()).isZero();
            return null;
        });
        assertThat(counting.attempts).hasValue(1);
    }
}
