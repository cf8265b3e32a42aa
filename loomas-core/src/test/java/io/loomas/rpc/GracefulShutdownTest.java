package io.loomas.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.channel.RemoteException;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.testing.TransportCase;
import io.loomas.transport.ConnectionClosedException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shutdown with work in flight, on every transport: gracefully, the calls received finish and
 * the ones that come during the drain are told they were not served; at once, or past the grace,
 * the calls in flight end with the connection.
 */
class GracefulShutdownTest {
    static class Slow {
        final Promise<Void> started = new Promise<>();
        final Promise<Void> release = new Promise<>();

        @Expose
        String work() {
            started.complete(null);
            release.await();
            return "done";
        }

        @Expose
        String quick() {
            return "quick";
        }
    }

    private static RpcOptions serverOptions(TransportCase t) {
        return RpcOptions.DEFAULT.withChannelOptions(t.options());
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aGracefulShutdownLetsTheCallInFlightFinishAndRefusesNewOnes(TransportCase t) {
        Slow slow = new Slow();
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), slow, serverOptions(t));
            RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT.withChannelOptions(t.options()));
            Task<Object> inFlight = Loop.current().spawn("in flight", () -> client.remote().call("work"));
            slow.started.await();
            // Runs once the shutdown below has begun its drain (this task waits in it until the call is done).
            Task<Void> duringTheDrain = Loop.current().spawn("during the drain", () -> {
                // A new call is refused with a reason, and no new connection is accepted.
                assertThatThrownBy(() -> client.remote().call("quick"))
                        .isInstanceOfSatisfying(RemoteException.class, e -> assertThat(e.remoteMessage())
                                .isEqualTo("the server is shutting down: this request was not served (send it again elsewhere)"));
                assertThatThrownBy(() -> Rpc.connect(server.address(), RpcOptions.DEFAULT.withChannelOptions(t.options())))
                        .isInstanceOf(IOException.class);
                assertThat(inFlight.isDone()).isFalse();
                slow.release.complete(null);
                return null;
            });
            assertThat(server.shutdown(Duration.ofSeconds(30))).as("drained within the grace").isTrue();
            duringTheDrain.await();
            assertThat(inFlight.await()).isEqualTo("done");
            client.closed().await(Duration.ofSeconds(10));
            assertThat(client.isOpen()).isFalse();
            server.awaitClosed();
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void pastTheGraceOrAtOnceTheCallInFlightEndsWithTheConnection(TransportCase t) {
        Slow slow = new Slow();
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), slow, serverOptions(t));
            RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT.withChannelOptions(t.options()));
            Task<Object> inFlight = Loop.current().spawn("in flight", () -> client.remote().call("work"));
            slow.started.await();
            assertThat(server.shutdown(Duration.ofMillis(100))).as("not drained within 100 ms").isFalse();
            assertThatThrownBy(inFlight::await).isInstanceOf(ConnectionClosedException.class);
            slow.release.complete(null);
            server.awaitClosed();
            return null;
        });
        Slow again = new Slow();
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), again, serverOptions(t));
            RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT.withChannelOptions(t.options()));
            Task<Object> inFlight = Loop.current().spawn("in flight", () -> client.remote().call("work"));
            again.started.await();
            server.shutdownNow();
            assertThatThrownBy(inFlight::await).isInstanceOf(ConnectionClosedException.class);
            again.release.complete(null);
            server.awaitClosed();
            return null;
        });
    }

    static final class Worker extends Agent {
        final Slow slow = new Slow();

        Worker(Container c) {
            super(c);
        }

        @Expose
        String work() {
            return slow.work();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aContainerShutsDownGracefullyToo(TransportCase t) {
        ContainerOptions options = ContainerOptions.DEFAULT.withChannelOptions(t.options());
        Loop.run(() -> {
            Container home = Container.create(t.freshAddress(), options);
            Worker worker = new Worker(home);
            try (Container visitor = Container.create(t.freshAddress(), options)) {
                Remote remote = visitor.connect(worker.address());
                Task<Object> inFlight = Loop.current().spawn("in flight", () -> remote.call("work"));
                worker.slow.started.await();
                Task<Boolean> shutdown = Loop.current().spawn("shutdown", () -> home.shutdown(Duration.ofSeconds(30)));
                worker.slow.release.complete(null);
                assertThat(inFlight.await()).isEqualTo("done");
                assertThat(shutdown.await()).isTrue();
            }
            return null;
        });
    }
}
