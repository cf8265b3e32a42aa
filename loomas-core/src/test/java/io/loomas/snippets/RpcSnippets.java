package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.rpc.Caller;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Kwargs;
import io.loomas.rpc.Remote;
import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.rpc.RpcServer;
import io.loomas.rpc.ServiceMap;
import io.loomas.rpc.SubService;
import io.loomas.runtime.Loop;
import io.loomas.transport.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of the RPC layer's Javadoc, compiled and run: the Javadoc shows the marked regions. */
class RpcSnippets {

    // @start region="caller"
    static class Greeter {
        @Expose
        String hello() {
            Caller caller = Caller.current(); // who is calling: address, and the certificate over TLS
            return "hello, " + caller.subject().map(Object::toString).orElse(caller.address().toString());
        }
    }
    // @end

    @Test
    void callerAndInterceptor() {
        Loop.run(() -> {
            // @start region="interceptor"
            // Only clients whose certificate names the role admin may call admin/...; the others are told why.
            RpcOptions options = RpcOptions.DEFAULT.withInterceptor((path, args, kwargs, caller) -> {
                if (path.startsWith("admin/") && !caller.subjectAlternativeNames().contains("urn:loomas:role:admin")) {
                    throw new SecurityException(path + " needs a client certificate with the role admin");
                }
            });
            // @end
            RpcServer server = Rpc.startServer(Address.tcp("127.0.0.1", 0), new Greeter(), options);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                assertThat(client.remote().call("hello")).isEqualTo("hello, " + client.channel().localAddress());
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    // @start region="calculator"
    static class Calculator {
        @Expose int add(int a, int b) { return a + b; }
    }
    // @end

    /** The typed view of {@link MathService}. */
    interface MathApi {
        int add(int a, int b);

        int multiply(int a, int b);
    }

    static class MathService {
        @Expose int add(int a, int b) { return a + b; }

        @Expose int multiply(int a, int b) { return a * b; }
    }

    static class Root {
        @SubService final MathService math = new MathService();

        @Expose int add(int a, int b) { return a + b; }

        @Expose String greet(String name, String punctuation) { return "Hello, " + name + punctuation; }
    }

    static class Spawner {
        // @start region="kwargs"
        @Expose
        List<Object> spawn(String className, @Kwargs Map<String, Object> options, Object... args) {
            // a Python peer: await manager.spawn("com.example.Worker", 1, 2, speed=3)
            //   className = "com.example.Worker", args = [1, 2], options = {speed=3}
            return List.of(className, List.of(args), options);
        }
        // @end
    }

    @Test
    void startServerAndConnect() {
        Object seven =
        // @start region="rpc"
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(Address.tcp("127.0.0.1", 0), new Calculator(), RpcOptions.DEFAULT);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                return client.remote().call("add", 3, 4);     // 7
            } finally {
                server.close();
            }
        });
        // @end
        assertThat(seven).isEqualTo(7);
    }

    @Test
    void remotesAndTypedProxies() {
        List<Object> results = Loop.run(() -> {
            RpcServer server = Rpc.startServer(Address.tcp("127.0.0.1", 0), new Root(), RpcOptions.DEFAULT);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                // @start region="remote"
                Remote root = client.remote();
                Object sum = root.call("add", 3, 4);                       // path "add"
                Object product = root.at("math").call("multiply", 6, 7);   // path "math/multiply"
                Object hello = root.callWithKwargs("greet", List.of("Ada"), Map.of("punctuation", "!"));
                MathApi math = root.at("math").as(MathApi.class);          // a typed proxy of the same service
                // @end
                List<Object> got = new ArrayList<>(List.of(sum, product, hello, math.multiply(2, 3)));
                got.addAll(typedAndUntyped(client));
                return got;
            } finally {
                server.close();
            }
        });
        assertThat(results).containsExactly(7, 42, "Hello, Ada!", 6, 7, 7);
    }

    private static List<Object> typedAndUntyped(RpcConnection client) {
        // @start region="connection"
        MathApi math = client.remote(MathApi.class, "math");
        int seven = math.add(3, 4);                            // typed
        Object same = client.remote().call("math/add", 3, 4);  // untyped
        // @end
        return List.of(seven, same);
    }

    @Test
    void keywordArguments() {
        Object got = Loop.run(() -> {
            RpcServer server = Rpc.startServer(Address.tcp("127.0.0.1", 0), new Spawner(), RpcOptions.DEFAULT);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                return client.remote().callWithKwargs("spawn", List.of("com.example.Worker", 1, 2), Map.of("speed", 3));
            } finally {
                server.close();
            }
        });
        assertThat(got).isEqualTo(List.of("com.example.Worker", List.of(1, 2), Map.of("speed", 3)));
    }

    @Test
    void serviceMap() {
        // @start region="service-map"
        ServiceMap service = new ServiceMap()
                .with("add", (args, kwargs) -> ((Number) args.get(0)).intValue() + ((Number) args.get(1)).intValue())
                .with("math", new Calculator());
        // @end
        Object got = Loop.run(() -> {
            RpcServer server = Rpc.startServer(Address.tcp("127.0.0.1", 0), service, RpcOptions.DEFAULT);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                return List.of(client.remote().call("add", 1, 2), client.remote().call("math/add", 3, 4));
            } finally {
                server.close();
            }
        });
        assertThat(got).isEqualTo(List.of(3, 7));
    }
}
