package io.loomas.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.Request;
import io.loomas.channel.Server;
import io.loomas.runtime.Loop;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "TLS" example of README.md, kept compiling and working: change both together. Its options are the Javadoc's example of {@code Transport.tls}. */
class TlsReadmeExampleTest {

    @Test
    void theReadmeTlsExampleWorks(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Path ca = certs.ca();
        Path serverChain = certs.server().chain();
        Path serverKey = certs.server().key();
        Path clientChain = certs.client().chain();
        Path clientKey = certs.client().key();

        // --- README "TLS" begins
        // @start region="tls"
        TlsOptions tls = TlsOptions.of(
                Tls.serverContext(ca, serverChain, serverKey),   // shown to clients; checks their certificates
                Tls.clientContext(ca, clientChain, clientKey));  // shown to servers; checks theirs and the host name
        ChannelOptions options = ChannelOptions.DEFAULT.withTransport(Transport.tls(tls));
        // @end

        String reply = Loop.run(() -> {
            Server server = Channels.startServer(Address.tcp("localhost", 0), channel -> {
                Request request = channel.recv();
                request.reply("cya");
            }, options);
            try (Channel channel = Channels.connect(server.address(), options)) {
                return (String) channel.send("ohai");     // "cya", over mutual TLS
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        // --- README "TLS" ends

        assertThat(reply).isEqualTo("cya");
    }
}
