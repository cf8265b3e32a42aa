package io.loomas.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.rpc.RpcServer;
import io.loomas.runtime.Loop;
import io.loomas.testing.TransportCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The examples of the module's Javadoc, compiled and run: the Javadoc shows the marked regions. */
class MetricsSnippets {
    @Test
    void bind() {
        // @start region="bind"
        MeterRegistry registry = new SimpleMeterRegistry();  // or Prometheus', or your framework's
        try (LoomasMetrics metrics = new LoomasMetrics()) {
            metrics.bindTo(registry);                       // before the loops to be measured start
            Loop.run(() -> {
                RpcServer server = Rpc.startServer(TransportCase.freshAddress("tcp"), new LoomasMetricsTest.Calculator(),
                        RpcOptions.DEFAULT);
                try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                    client.remote().call("add", 1, 2);
                } finally {
                    server.close();
                }
                return null;
            });
            // loomas.rpc.server.calls{path=add,outcome=ok,exception=none}: 1 call, its time and histogram
            assertThat(registry.get("loomas.rpc.server.calls").tag("path", "add").timer().count()).isEqualTo(1);
        }
        // @end
    }
}
