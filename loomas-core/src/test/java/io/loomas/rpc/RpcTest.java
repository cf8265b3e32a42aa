package io.loomas.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.RemoteException;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.runtime.TimeoutException;
import io.loomas.testing.TransportCase;
import io.loomas.transport.ConnectionClosedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The RPC layer's contract, on every transport with every codec. */
class RpcTest {

    record Point(int x, int y) {}

    interface MathApi {
        int add(int a, int b);

        double divide(double a, double b);

        Point mirror(Point p);
    }

    interface RootApi {
        String ping();

        @Expose("greet")
        String hello(String name, String punctuation);

        @SubService
        MathApi math();

        String block();
    }

    static class Calculator {
        @Expose
        int add(int a, int b) {
            return a + b;
        }

        @Expose
        double divide(double a, double b) {
            if (b == 0) {
                throw new ArithmeticException("division by zero");
            }
            return a / b;
        }

        @Expose
        Point mirror(Point p) {
            return new Point(p.y(), p.x());
        }

        int hidden() {
            return 42;
        }
    }

    static class Root {
        @SubService
        final Calculator math = new Calculator();

        final Promise<Void> release = new Promise<>();

        @Expose
        String ping() {
            return "pong";
        }

        @Expose
        String greet(String name, String punctuation) {
            return "Hello, " + name + punctuation;
        }

        @Expose
        String block() {
            release.await();
            return "released";
        }

        @Expose
        Calculator calculator() {
            return math; // a service as a result: the peer gets a proxy
        }

        @Expose
        String register(Remote callback) {
            // call the caller back over the same connection, while its call waits
            return "callback said " + callback.call("notify", "registered");
        }
    }

    static class ClientSide {
        @Expose
        String notify(String event) {
            return "client got " + event;
        }

        @Expose
        String name() {
            return "the client";
        }
    }

    interface Body {
        void run(RpcConnection client, RpcServer server, Root root) throws Exception;
    }

    static void withServer(TransportCase t, Object clientService, Body body) {
        Root root = new Root();
        RpcOptions options = RpcOptions.DEFAULT.withChannelOptions(t.options());
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), root, options);
            try (RpcConnection client = Rpc.connect(server.address(), clientService, options)) {
                body.run(client, server, root);
            } finally {
                root.release.complete(null);
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void typedAndUntypedCallsReachExposedMethods(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            RootApi api = client.remote(RootApi.class);
            assertThat(api.ping()).isEqualTo("pong");
            assertThat(api.math().add(3, 4)).isEqualTo(7);
            assertThat(client.remote(MathApi.class, "math").divide(1, 4)).isEqualTo(0.25);
            assertThat(client.remote().call("math/add", 3, 4)).isEqualTo(7);
            assertThat(client.remote().at("math").call("add", 40, 2)).isEqualTo(42);
            assertThat(api.hello("Ada", "!")).isEqualTo("Hello, Ada!");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void keywordArgumentsMapToParametersByName(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            assertThat(client.remote().callWithKwargs("greet", List.of("Ada"), Map.of("punctuation", "?")))
                    .isEqualTo("Hello, Ada?");
            assertThat(client.remote().callWithKwargs("greet", List.of(), Map.of("punctuation", ".", "name", "Bo")))
                    .isEqualTo("Hello, Bo.");
            assertThatThrownBy(() -> client.remote().callWithKwargs("greet", List.of("Ada"), Map.of("nope", 1)))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("greet() got an unexpected keyword argument 'nope'");
            assertThatThrownBy(() -> client.remote().callWithKwargs("greet", List.of("Ada"), Map.of("name", "Bo")))
                    .hasMessageContaining("greet() got multiple values for argument 'name'");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void recordsTravelAsMapsAndArriveAsTheDeclaredType(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            assertThat(client.remote(MathApi.class, "math").mirror(new Point(1, 2))).isEqualTo(new Point(2, 1));
            assertThat(client.remote().call("math/mirror", Map.of("x", 5, "y", 6))).isEqualTo(Map.of("x", 6, "y", 5));
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void unknownAndUnexposedPathsAreNamedInTheError(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            assertThatThrownBy(() -> client.remote().call("math/hidden"))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.remoteType()).isEqualTo(NoRouteException.class.getName());
                        assertThat(e.remoteMessage()).isEqualTo("\"math/hidden\" is not exposed");
                    });
            assertThatThrownBy(() -> client.remote().call("math/nope"))
                    .hasMessageContaining("Name \"nope\" not found in \"math\"");
            assertThatThrownBy(() -> client.remote().call("nope/add", 1, 2))
                    .hasMessageContaining("Name \"nope\" not found in \"\"");
            assertThatThrownBy(() -> client.remote().call("/ping"))
                    .hasMessageContaining("malformed path \"/ping\"");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void wrongArgumentsGetAClearErrorAndTheConnectionLivesOn(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            assertThatThrownBy(() -> client.remote().call("math/add", 1, 2, 3))
                    .hasMessageContaining("math/add() takes 2 arguments but 3 were given");
            assertThatThrownBy(() -> client.remote().call("math/add", 1))
                    .hasMessageContaining("math/add() takes 2 arguments but 1 was given; missing argument 'b'");
            assertThatThrownBy(() -> client.remote().call("math/add", "one", 2))
                    .hasMessageContaining("argument 'a' of math/add(): cannot convert \"one\" (String) to int");
            assertThat(client.remote().call("math/add", 1, 2)).isEqualTo(3);
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aMalformedRequestGetsAnExceptionReply(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            assertThatThrownBy(() -> client.channel().send("not a call"))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("malformed RPC request: not a call (expected: [path, args, kwargs]");
            assertThatThrownBy(() -> client.channel().send(List.of("ping", Map.of(), List.of())))
                    .hasMessageContaining("malformed RPC request");
            if (t.codec().name().equals("msgpack")) { // keys keep their types there: 7 is no argument name
                assertThatThrownBy(() -> client.channel().send(List.of("math/add", List.of(1), Map.of(7, 2))))
                        .isInstanceOf(RemoteException.class)
                        .hasMessageContaining("keyword argument name is not a string: 7 (a Integer) in a call to math/add");
            }
            assertThat(client.remote().call("ping")).isEqualTo("pong");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aThrowingMethodSendsItsExceptionAndTheConnectionLivesOn(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            assertThatThrownBy(() -> client.remote(MathApi.class, "math").divide(1, 0))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.origin()).isEqualTo(client.peerAddress().toString());
                        assertThat(e.remoteType()).isEqualTo("java.lang.ArithmeticException");
                        assertThat(e.remoteMessage()).isEqualTo("division by zero");
                        assertThat(e.remoteText()).contains("RpcTest$Calculator.divide");
                    });
            assertThat(client.remote(MathApi.class, "math").add(1, 1)).isEqualTo(2);
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aSlowMethodDoesNotHoldUpOtherCalls(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            Task<Object> slow = Loop.current().spawn(() -> client.remote().call("block"));
            assertThat(client.remote().call("ping")).isEqualTo("pong");
            assertThat(slow.isDone()).isFalse();
            root.release.complete(null);
            assertThat(slow.await()).isEqualTo("released");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aProxyWithATimeoutBoundsEachOfItsCallsAndTheConnectionLivesOn(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            Remote bounded = client.remote().withTimeout(Duration.ofMillis(100));
            assertThatThrownBy(() -> bounded.call("block")).isInstanceOf(TimeoutException.class);
            assertThatThrownBy(() -> bounded.as(RootApi.class).block()).as("a typed proxy keeps the bound")
                    .isInstanceOf(TimeoutException.class);
            assertThat(bounded.call("ping")).isEqualTo("pong");
            assertThat(bounded.at("math").call("add", 1, 2)).as("a sub-service keeps the bound too").isEqualTo(3);
            Task<Object> unbounded = Loop.current().spawn(() -> client.remote().call("block"));
            root.release.complete(null); // the abandoned calls' replies come now, and are dropped
            assertThat(unbounded.await()).isEqualTo("released");
            assertThat(client.remote().call("ping")).isEqualTo("pong");
            assertThatThrownBy(() -> client.remote().withTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void theServerCallsTheClientBackOnTheSameConnection(TransportCase t) {
        ClientSide mine = new ClientSide();
        withServer(t, mine, (client, server, root) -> {
            // A service passed as an argument arrives as a proxy that calls back.
            assertThat(client.remote().call("register", mine)).isEqualTo("callback said client got registered");
            // Something that is no part of the client's service tree cannot be passed.
            assertThatThrownBy(() -> client.remote().call("register", new ClientSide()))
                    .hasMessageContaining("is not part of the service tree");
        });
        withServer(t, new ClientSide(), (client, server, root) -> {
            client.remote().call("ping"); // the server has accepted the connection by now
            RpcConnection toClient = server.clients().get(0);
            assertThat(toClient.remote().call("name")).isEqualTo("the client");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aServiceReturnedArrivesAsAProxy(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            Object calculator = client.remote().call("calculator");
            assertThat(calculator).isInstanceOf(Remote.class).isEqualTo(client.remote().at("math"));
            assertThat(((Remote) calculator).call("add", 2, 3)).isEqualTo(5);
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aPeerThatDisappearsMidCallFailsOnlyTheCallsOnThatConnection(TransportCase t) {
        List<RpcConnection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Root root = new Root();
        RpcOptions options = RpcOptions.DEFAULT.withChannelOptions(t.options()).withOnConnect(accepted::add);
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), root, options);
            try (RpcConnection first = Rpc.connect(server.address(), options)) {
                assertThat(first.remote().call("ping")).isEqualTo("pong");
                // Taken before the second connects: the server may take TLS handshakes in to their
                // handler tasks in either order, but this one answered the ping already.
                RpcConnection firstSeenByServer = accepted.get(0);
                try (RpcConnection second = Rpc.connect(server.address(), options)) {
                    Task<Object> pending = Loop.current().spawn(() -> first.remote().call("block"));
                    assertThat(second.remote().call("ping")).isEqualTo("pong");
                    firstSeenByServer.close(); // the first client's connection drops, seen from the server
                    assertThatThrownBy(pending::await).isInstanceOf(ConnectionClosedException.class);
                    assertThat(second.remote().call("ping")).isEqualTo("pong");
                }
            } finally {
                root.release.complete(null);
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void aServiceMapIsLive(TransportCase t) {
        ServiceMap service = new ServiceMap()
                .with("add", (args, kwargs) -> ((Number) args.get(0)).intValue() + ((Number) args.get(1)).intValue())
                .with("math", new Calculator());
        RpcOptions options = RpcOptions.DEFAULT.withChannelOptions(t.options());
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), service, options);
            try (RpcConnection client = Rpc.connect(server.address(), options)) {
                assertThat(client.remote().call("add", 1, 2)).isEqualTo(3);
                assertThat(client.remote().call("math/add", 2, 2)).isEqualTo(4);
                assertThatThrownBy(() -> client.remote().call("later")).hasMessageContaining("Name \"later\" not found in \"\"");
                service.put("later", (RemoteFunction) (args, kwargs) -> "added later");
                assertThat(client.remote().call("later")).isEqualTo("added later");
                service.remove("later");
                assertThatThrownBy(() -> client.remote().call("later")).isInstanceOf(RemoteException.class);
                assertThatThrownBy(() -> client.remote().call("math")).hasMessageContaining("\"math\" is not exposed");
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void proxiesAreEqualForTheSameConnectionAndPath(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            assertThat(client.remote().at("math")).isEqualTo(client.remote().at("math"))
                    .hasSameHashCodeAs(client.remote().at("math"))
                    .isNotEqualTo(client.remote());
            assertThat(client.remote(MathApi.class, "math")).isEqualTo(client.remote(RootApi.class).math());
            assertThat(client.remote(MathApi.class, "math").toString()).contains("MathApi('math' at ");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void concurrentCallsEachGetTheirOwnReply(TransportCase t) {
        withServer(t, null, (client, server, root) -> {
            MathApi math = client.remote(MathApi.class, "math");
            List<Task<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                calls.add(Loop.current().spawn(() -> math.add(n, n)));
            }
            List<Integer> sums = Future.all(calls).await();
            for (int i = 0; i < 200; i++) {
                assertThat(sums.get(i)).isEqualTo(2 * i);
            }
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void theConnectCallbackAndTheResetCallbackFire(TransportCase t) {
        AtomicReference<RpcConnection> connected = new AtomicReference<>();
        Promise<Throwable> reset = new Promise<>();
        RpcOptions options = RpcOptions.DEFAULT.withChannelOptions(t.options()).withOnConnect(connected::set);
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), new Root(), options);
            try (RpcConnection client = Rpc.connect(server.address(), options)) {
                client.onConnectionReset(reset::complete);
                client.remote().call("ping");
                assertThat(connected.get()).isNotNull();
                server.close(); // the server hangs up: a reset for the client
                assertThat(reset.await()).isInstanceOf(ConnectionClosedException.class)
                        .hasMessageContaining("closed by the peer");
            } finally {
                server.awaitClosed();
            }
            return null;
        });
    }
}
