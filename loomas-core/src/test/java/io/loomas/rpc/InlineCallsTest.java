package io.loomas.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.RemoteException;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.testing.TransportCase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A call that does not wait runs in the task that receives the connection's requests; a call that
 * waits keeps that task, and a new one takes over receiving first. Tried here where it could go
 * wrong: calls that wait in every way, many at once, yields, a close and a shutdown while calls run
 * in tasks that took over, and a receiver cancelled before it began.
 */
class InlineCallsTest {

    static class Service {
        final List<Task<?>> ranIn = new CopyOnWriteArrayList<>();
        final Promise<Void> release = new Promise<>();
        final Promise<Void> cleanedUp = new Promise<>();
        final List<Promise<Void>> released = new CopyOnWriteArrayList<>();
        volatile boolean flag;

        @Expose
        int add(int a, int b) {
            ranIn.add(Task.current());
            return a + b;
        }

        @Expose
        String block() {
            ranIn.add(Task.current());
            release.await();
            return "released";
        }

        @Expose
        int sleepThenAdd(int millis, int a, int b) {
            Loop.current().clock().sleep(Duration.ofNanos(millis * 100_000L));
            return a + b;
        }

        @Expose
        int yieldThenAdd(int a, int b) {
            Loop.yieldNow();
            return a + b;
        }

        /** Spins on yields until another call sets the flag: it only returns if that call runs meanwhile. */
        @Expose
        String spinUntilFlag() {
            ranIn.add(Task.current());
            Instant giveUp = Instant.now().plusSeconds(10);
            while (!flag) {
                if (Instant.now().isAfter(giveUp)) {
                    return "gave up";
                }
                Loop.yieldNow();
            }
            return "saw the flag";
        }

        @Expose
        void setFlag() {
            flag = true;
        }

        /** Waits until cancelled, then cleans up in a wait of its own before it ends. */
        @Expose
        String blockThenCleanUp() {
            ranIn.add(Task.current());
            try {
                new Promise<Void>().await();
                return "never";
            } catch (CancelledException e) {
                Loop.current().clock().sleep(Duration.ofMillis(20)); // a wait after cancellation is allowed
                cleanedUp.complete(null);
                throw e;
            }
        }

        final java.util.concurrent.atomic.AtomicInteger bigCalls = new java.util.concurrent.atomic.AtomicInteger();

        /** A reply of a MiB: four of them fill a connection's write buffer. */
        @Expose
        String big() {
            bigCalls.incrementAndGet();
            return "x".repeat(1 << 20);
        }

        /** Holds the loop for {@code millis} without a scheduling point: the slow task a watchdog reports. */
        @Expose
        void holdTheLoop(int millis) {
            long until = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }

        /** Waits for a promise of its own, made when it starts; {@link #released} lists them. */
        @Expose
        String blockOnOwn() {
            Promise<Void> mine = new Promise<>();
            released.add(mine);
            mine.await();
            return "own released";
        }
    }

    interface Body {
        void run(RpcConnection client, RpcServer server, Service service) throws Exception;
    }

    static void withServer(TransportCase t, Body body) {
        Service service = new Service();
        RpcOptions options = RpcOptions.DEFAULT.withChannelOptions(t.options());
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), service, options);
            try (RpcConnection client = Rpc.connect(server.address(), options)) {
                body.run(client, server, service);
            } finally {
                service.release.complete(null);
                service.released.forEach(p -> p.complete(null));
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void callsThatDoNotWaitRunInTheTaskThatServesTheConnection(TransportCase t) {
        withServer(t, (client, server, service) -> {
            for (int i = 0; i < 5; i++) {
                assertThat(client.remote().call("add", i, 1)).isEqualTo(i + 1);
            }
            assertThat(service.ranIn).hasSize(5).allSatisfy(task -> assertThat(task).isSameAs(service.ranIn.get(0)));
            assertThat(service.ranIn.get(0).name()).as("the server's handler task of the connection")
                    .startsWith("handler ");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aCallThatWaitsKeepsItsTaskAndANewTaskServesTheNextCalls(TransportCase t) {
        withServer(t, (client, server, service) -> {
            Task<Object> blocked = Loop.current().spawn(() -> client.remote().call("block"));
            yieldUntil(() -> !service.ranIn.isEmpty());
            assertThat(client.remote().call("add", 1, 2)).isEqualTo(3);
            assertThat(blocked.isDone()).isFalse();
            assertThat(service.ranIn).hasSize(2);
            assertThat(service.ranIn.get(1)).as("the add came after the block began to wait")
                    .isNotSameAs(service.ranIn.get(0));
            assertThat(service.ranIn.get(1).name()).startsWith("rpc calls from ");
            service.release.complete(null);
            assertThat(blocked.await()).isEqualTo("released");
            assertThat(client.remote().call("add", 2, 2)).isEqualTo(4);
            assertThat(service.ranIn.get(2)).as("the task that took over serves on").isSameAs(service.ranIn.get(1));
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void manyCallsWaitAtOnceAndTheConnectionServesOn(TransportCase t) {
        withServer(t, (client, server, service) -> {
            List<Task<Object>> waiting = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                waiting.add(Loop.current().spawn(() -> client.remote().call("blockOnOwn")));
            }
            while (service.released.size() < 50) {
                assertThat(client.remote().call("add", 0, 0)).isEqualTo(0);
            }
            assertThat(waiting).noneMatch(Task::isDone);
            service.released.forEach(p -> p.complete(null));
            assertThat(Future.all(waiting).await()).hasSize(50).containsOnly("own released");
            assertThat(client.remote().call("add", 20, 22)).isEqualTo(42);
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aCallThatYieldsLetsTheNextCallRun(TransportCase t) {
        withServer(t, (client, server, service) -> {
            Task<Object> spinning = Loop.current().spawn(() -> client.remote().call("spinUntilFlag"));
            yieldUntil(() -> !service.ranIn.isEmpty());
            client.remote().call("setFlag");
            assertThat(spinning.await()).isEqualTo("saw the flag");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void closingWaitsForACallInATaskThatTookOverReceiving(TransportCase t) {
        Service[] seen = new Service[1];
        withServer(t, (client, server, service) -> {
            seen[0] = service;
            // The first call waits in the task that serves the connection; the second in the task
            // that took over receiving from it; the first ends, so only the second is left.
            Task<Object> first = Loop.current().spawn(() -> client.remote().call("block"));
            yieldUntil(() -> !service.ranIn.isEmpty());
            Task<Object> second = Loop.current().spawn(() -> client.remote().call("blockThenCleanUp"));
            yieldUntil(() -> service.ranIn.size() >= 2);
            assertThat(client.remote().call("add", 1, 1)).isEqualTo(2); // both wait by now
            service.release.complete(null);
            assertThat(first.await()).isEqualTo("released");
            server.close();
            server.awaitClosed();
            assertThat(service.cleanedUp.isDone()).as("the server closed only after the waiting call ended").isTrue();
            assertThatThrownBy(second::await).isInstanceOf(io.loomas.transport.ConnectionClosedException.class);
        });
        assertThat(seen[0].cleanedUp.isDone()).isTrue();
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aLoopShutdownEndsCallsInTasksThatTookOverReceiving(TransportCase t) {
        Service service = new Service();
        RpcOptions options = RpcOptions.DEFAULT.withChannelOptions(t.options());
        Loop loop = Loop.create();
        Task<Void> main = loop.spawn("main", () -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), service, options);
            RpcConnection client = Rpc.connect(server.address(), options);
            for (int i = 0; i < 10; i++) {
                Loop.current().spawn(() -> client.remote().call("blockOnOwn"));
            }
            while (service.released.size() < 10) {
                client.remote().call("add", 0, 0);
            }
            return null;
        });
        main.await();
        assertThat(loop.shutdown(Duration.ofSeconds(5))).as("every task ended within the grace").isTrue();
    }

    /**
     * The last task to take over receiving is cancelled before it ever ran: nobody receives now, so
     * serving ends once the call that handed over to it ends, and the other calls still waiting are
     * cancelled as at a close, not left waiting forever.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aReceiverCancelledBeforeItBeganEndsTheServingOnceItsCallEnds(TransportCase t) {
        withServer(t, (client, server, service) -> {
            Task<Object> first = Loop.current().spawn(() -> client.remote().call("block"));
            yieldUntil(() -> !service.ranIn.isEmpty());
            assertThat(client.remote().call("add", 1, 1)).isEqualTo(2); // the first waits; a second receiver serves
            int before = receivers().size();
            Task<Object> second = Loop.current().spawn(() -> client.remote().call("blockOnOwn"));
            // Keep yielding: this task is ready ahead of the receiver spawned when the second call waits.
            yieldUntil(() -> receivers().size() != before);
            Task<?> unborn = receivers().get(receivers().size() - 1);
            assertThat(unborn.cancel()).isTrue();
            service.release.complete(null);
            assertThat(first.await()).isEqualTo("released");
            assertThatThrownBy(second::await).as("serving ended: the waiting call was cancelled")
                    .isInstanceOf(RemoteException.class).hasMessageContaining("Cancelled");
        });
    }

    /**
     * A peer that sends calls and never reads: each reply waits for room in a full write buffer,
     * which is a wait like any other, so receiving goes on past it (all 20 calls start), another
     * connection is served meanwhile, and the server still closes.
     */
    @org.junit.jupiter.api.Test
    void repliesWaitingForAPeerThatStopsReadingHoldUpNoOtherCallNorTheClose() throws Exception {
        Service service = new Service();
        RpcOptions options = RpcOptions.DEFAULT;
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(TransportCase.freshAddress("tcp"), service, options);
            io.loomas.transport.Address.Tcp at = (io.loomas.transport.Address.Tcp) server.address();
            try (java.net.Socket stuck = new java.net.Socket(at.host(), at.port())) {
                java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
                for (int id = 0; id < 20; id++) {
                    byte[] payload = ("[0, " + id + ", [\"big\", [], {}]]").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    frames.write(java.nio.ByteBuffer.allocate(4).putInt(payload.length).array());
                    frames.write(payload);
                }
                stuck.getOutputStream().write(frames.toByteArray()); // a few hundred bytes: does not block
                try (RpcConnection other = Rpc.connect(server.address(), options)) {
                    Instant giveUp = Instant.now().plusSeconds(10);
                    while (service.bigCalls.get() < 20 && Instant.now().isBefore(giveUp)) {
                        assertThat(other.remote().call("add", 1, 1)).isEqualTo(2);
                    }
                    assertThat(service.bigCalls.get()).as("every call started though the replies before it wait").isEqualTo(20);
                    assertThat(other.remote().call("add", 2, 2)).isEqualTo(4);
                }
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    /** A method that holds the loop runs in the serving task, yet the slow-task report names the call. */
    @org.junit.jupiter.api.Test
    void aSlowTaskReportNamesTheCallTheServingTaskRuns() {
        Service service = new Service();
        List<io.loomas.runtime.SlowTaskHandler.Report> reports = new CopyOnWriteArrayList<>();
        io.loomas.runtime.LoopOptions debug = io.loomas.runtime.LoopOptions.DEFAULT.withDebug(true)
                .withSlowTaskThreshold(Duration.ofMillis(50)).withSlowTaskHandler((loop, report) -> reports.add(report));
        Loop.run(debug, () -> {
            RpcServer server = Rpc.startServer(TransportCase.freshAddress("local"), service, RpcOptions.DEFAULT);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                client.remote().call("holdTheLoop", 300);
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
        assertThat(reports).anySatisfy(r -> assertThat(r.taskName()).startsWith("handler ")
                .contains("(running rpc holdTheLoop from "));
    }

    /**
     * Yields until {@code done} holds, at most 10 s of wall time: what it waits for is done by
     * other tasks and by a connection's reader thread, so it comes in no virtual time.
     */
    private static void yieldUntil(java.util.function.BooleanSupplier done) {
        Instant giveUp = Instant.now().plusSeconds(10);
        while (!done.getAsBoolean() && Instant.now().isBefore(giveUp)) {
            Loop.yieldNow();
        }
    }

    private static List<Task<?>> receivers() {
        return Loop.current().tasks().stream().filter(task -> task.name().startsWith("rpc calls from ")).toList();
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aSeededMixOfCallsThatWaitAndCallsThatDoNotAllGetTheirReplies(TransportCase t) {
        long seed = System.nanoTime();
        System.out.println("InlineCallsTest seed " + seed + " on " + t);
        Random random = new Random(seed);
        withServer(t, (client, server, service) -> {
            List<Task<Integer>> callers = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                long callerSeed = random.nextLong();
                callers.add(Loop.current().spawn(() -> {
                    Random r = new Random(callerSeed);
                    int sum = 0;
                    for (int i = 0; i < 25; i++) {
                        int a = r.nextInt(1000);
                        Object reply = switch (r.nextInt(3)) {
                            case 0 -> client.remote().call("add", a, 1);
                            case 1 -> client.remote().call("sleepThenAdd", r.nextInt(20), a, 1);
                            default -> client.remote().call("yieldThenAdd", a, 1);
                        };
                        assertThat(reply).as("seed " + seed).isEqualTo(a + 1);
                        sum++;
                    }
                    return sum;
                }));
            }
            assertThat(Future.all(callers).await()).as("seed " + seed).containsOnly(25);
        });
    }
}
