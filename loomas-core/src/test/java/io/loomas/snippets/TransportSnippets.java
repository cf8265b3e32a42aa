package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.channel.ChannelOptions;
import io.loomas.transport.TestCertificates;
import io.loomas.transport.Tls;
import io.loomas.transport.TlsOptions;
import io.loomas.transport.Transport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of the transport's Javadoc, compiled and run: the Javadoc shows the marked regions. */
class TransportSnippets {

    @Test
    void tls(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Path caPem = certs.ca();
        Path serverChainPem = certs.server().chain();
        Path serverKeyPem = certs.server().key();
        Path clientChainPem = certs.client().chain();
        Path clientKeyPem = certs.client().key();
        // @start region="tls"
        Transport tls = Transport.tls(TlsOptions.of(
                Tls.serverContext(caPem, serverChainPem, serverKeyPem),
                Tls.clientContext(caPem, clientChainPem, clientKeyPem)));
        ChannelOptions options = ChannelOptions.DEFAULT.withTransport(tls);
        // @end
        assertThat(options.transport()).isSameAs(tls);
    }
}
