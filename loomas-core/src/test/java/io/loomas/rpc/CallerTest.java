package io.loomas.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.RemoteException;
import io.loomas.runtime.Loop;
import io.loomas.testing.TransportCase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Who is calling: the caller as an exposed method sees it, and interceptors that refuse calls, on every transport. */
class CallerTest {
    static class Desk {
        @Expose
        String whoAmI() {
            Caller c = Caller.current();
            return c.address() + " " + c.subject().map(Object::toString).orElse("(no certificate)");
        }

        @Expose
        String spawnsAndAsks() {
            // The call's own task only: a task it spawns serves no call.
            return Loop.current().spawn("helper", () -> {
                try {
                    Caller.current();
                    return "seen";
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            }).await();
        }

        @Expose
        String reset() {
            return "reset";
        }
    }

    interface Body {
        void run(RpcConnection client) throws Exception;
    }

    static void with(TransportCase t, RpcOptions serverOptions, Body body) {
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), new Desk(), serverOptions.withChannelOptions(
                    serverOptions.channelOptions().withCodec(t.codec()).withTransport(t.options().transport())));
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT.withChannelOptions(t.options()))) {
                body.run(client);
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void anExposedMethodSeesItsCallersAddressAndOverTlsItsCertificate(TransportCase t) {
        with(t, RpcOptions.DEFAULT, client -> {
            String seen = (String) client.remote().call("whoAmI");
            String local = client.channel().localAddress().toString();
            // Over TCP the server sees the client's own address; a Unix or in-JVM client is named per connection.
            assertThat(seen).startsWith(t.transport().startsWith("t") ? local + " " : local.split("#")[0]);
            assertThat(seen).endsWith(t.transport().equals("tls") ? "CN=loomas client" : "(no certificate)");
            assertThat(client.remote().call("spawnsAndAsks")).asString().startsWith("no RPC call is served by this task");
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void interceptorsRunInOrderAndOneThatThrowsRefusesTheCallWithItsReason(TransportCase t) {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        RpcOptions options = RpcOptions.DEFAULT
                .withInterceptor((path, args, kwargs, caller) -> seen.add("first " + path + " " + args))
                .withInterceptor((path, args, kwargs, caller) -> {
                    seen.add("second " + path);
                    if (path.equals("reset") && caller.subject().isEmpty()) {
                        throw new SecurityException("reset needs a client certificate");
                    }
                });
        with(t, options, client -> {
            assertThat(client.remote().call("whoAmI")).asString().isNotEmpty();
            if (t.transport().equals("tls")) {
                assertThat(client.remote().call("reset")).isEqualTo("reset");
            } else {
                assertThatThrownBy(() -> client.remote().call("reset"))
                        .isInstanceOfSatisfying(RemoteException.class, e -> {
                            assertThat(e.remoteType()).isEqualTo(SecurityException.class.getName());
                            assertThat(e.remoteMessage()).isEqualTo("reset needs a client certificate");
                        });
            }
            // The connection goes on after a refusal.
            assertThat(client.remote().call("whoAmI")).asString().isNotEmpty();
        });
        assertThat(seen).containsExactly("first whoAmI []", "second whoAmI", "first reset []", "second reset",
                "first whoAmI []", "second whoAmI");
    }
}
