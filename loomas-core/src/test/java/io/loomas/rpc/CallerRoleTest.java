package io.loomas.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.channel.ChannelOptions;
import io.loomas.channel.RemoteException;
import io.loomas.runtime.Loop;
import io.loomas.transport.Address;
import io.loomas.transport.TestCertificates;
import io.loomas.transport.Tls;
import io.loomas.transport.TlsOptions;
import io.loomas.transport.Transport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example of who is calling: a service whose admin calls only clients with a
 * certificate that names the role admin may make; every client of the CA may make the others.
 */
class CallerRoleTest {
    static class Service {
        @SubService
        final Admin admin = new Admin();

        @Expose
        String status() {
            return "up, asked by " + Caller.current().subject().orElseThrow().getName();
        }
    }

    static class Admin {
        @Expose
        String reset() {
            return "reset by " + Caller.current().subject().orElseThrow().getName();
        }
    }

    static RpcOptions adminsOnly(RpcOptions options) {
        return options.withInterceptor((path, args, kwargs, caller) -> {
            if (path.startsWith("admin/") && !caller.subjectAlternativeNames().contains("urn:loomas:role:admin")) {
                throw new SecurityException(path + " needs a client certificate with the role admin");
            }
        });
    }

    @Test
    void onlyAClientWhoseCertificateNamesTheRoleMayCallTheAdminService(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Transport server = Transport.tls(certs.options());
        Transport plainClient = Transport.tls(TlsOptions.of(Tls.clientContext(certs.ca(), certs.client().chain(),
                certs.client().key())));
        Transport adminClient = Transport.tls(TlsOptions.of(Tls.clientContext(certs.ca(), certs.adminClient().chain(),
                certs.adminClient().key())));
        Loop.run(() -> {
            RpcServer rpc = Rpc.startServer(Address.tcp("127.0.0.1", 0), new Service(),
                    adminsOnly(RpcOptions.DEFAULT.withChannelOptions(ChannelOptions.DEFAULT.withTransport(server))));
            try (RpcConnection user = Rpc.connect(rpc.address(),
                    RpcOptions.DEFAULT.withChannelOptions(ChannelOptions.DEFAULT.withTransport(plainClient)));
                    RpcConnection admin = Rpc.connect(rpc.address(),
                            RpcOptions.DEFAULT.withChannelOptions(ChannelOptions.DEFAULT.withTransport(adminClient)))) {
                assertThat(user.remote().call("status")).isEqualTo("up, asked by CN=loomas client");
                assertThatThrownBy(() -> user.remote().call("admin/reset"))
                        .isInstanceOfSatisfying(RemoteException.class, e -> {
                            assertThat(e.remoteType()).isEqualTo(SecurityException.class.getName());
                            assertThat(e.remoteMessage()).isEqualTo("admin/reset needs a client certificate with the role admin");
                        });
                assertThat(admin.remote().call("admin/reset")).isEqualTo("reset by CN=loomas admin,OU=admin");
                assertThat(user.remote().call("status")).as("the refused client's connection goes on").asString().startsWith("up");
            } finally {
                rpc.close();
                rpc.awaitClosed();
            }
            return null;
        });
    }
}
