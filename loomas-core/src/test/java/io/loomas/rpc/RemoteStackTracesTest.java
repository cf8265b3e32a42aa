package io.loomas.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.RemoteException;
import io.loomas.runtime.Loop;
import io.loomas.testing.TransportCase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a failure reply tells the caller: by default the whole stack trace (as aiomas sends its
 * traceback); with remote stack traces off, for a server facing clients it does not trust, only
 * the first line: no frames, no causes, nothing of the code's insides.
 */
class RemoteStackTracesTest {
    static class Vault {
        @Expose
        int open(String code) {
            throw new IllegalStateException("wrong code", new java.io.IOException("/etc/vault/keys unreadable"));
        }
    }

    private static RemoteException failureOf(TransportCase t, RpcOptions serverOptions) {
        RpcOptions clientOptions = RpcOptions.DEFAULT.withChannelOptions(t.options());
        return Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), new Vault(),
                    serverOptions.withChannelOptions(serverOptions.channelOptions().withCodec(t.codec())
                            .withTransport(t.options().transport())));
            try (RpcConnection client = Rpc.connect(server.address(), null, clientOptions)) {
                try {
                    client.remote().call("open", "1234");
                    throw new AssertionError("the call should have failed");
                } catch (RemoteException e) {
                    return e;
                }
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void byDefaultAFailureCarriesItsWholeStackTrace(TransportCase t) {
        RemoteException e = failureOf(t, RpcOptions.DEFAULT);
        assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
        assertThat(e.remoteMessage()).isEqualTo("wrong code");
        assertThat(e.remoteText()).contains("\tat io.loomas.rpc.RemoteStackTracesTest$Vault.open(")
                .contains("Caused by: java.io.IOException: /etc/vault/keys unreadable");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void withRemoteStackTracesOffOnlyTheFirstLineLeavesTheServer(TransportCase t) {
        RemoteException e = failureOf(t, RpcOptions.DEFAULT.withRemoteStackTraces(false));
        assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
        assertThat(e.remoteMessage()).isEqualTo("wrong code");
        assertThat(e.remoteText()).isEqualTo("java.lang.IllegalStateException: wrong code");
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.loomas.testing.TransportCase#all")
    void theRoutersOwnFailuresObeyTheSettingToo(TransportCase t) {
        RpcOptions off = RpcOptions.DEFAULT.withRemoteStackTraces(false);
        RpcOptions clientOptions = RpcOptions.DEFAULT.withChannelOptions(t.options());
        Loop.run(() -> {
            RpcServer server = Rpc.startServer(t.freshAddress(), new Vault(), off.withChannelOptions(
                    off.channelOptions().withCodec(t.codec()).withTransport(t.options().transport())));
            try (RpcConnection client = Rpc.connect(server.address(), null, clientOptions)) {
                assertThatThrownBy(() -> client.remote().call("nope"))
                        .isInstanceOfSatisfying(RemoteException.class, x -> assertThat(x.remoteText()).doesNotContain("\tat "));
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }
}
