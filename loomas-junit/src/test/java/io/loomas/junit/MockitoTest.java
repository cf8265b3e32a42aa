package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.rpc.RpcConnection;
import org.junit.jupiter.api.Test;

/** Plain Mockito on services and on what agents depend on: calls block, so no async mock is needed. */
@LoomasTest
class MockitoTest {

    static class Calculator {
        @Expose
        int add(int a, int b) {
            return a + b;
        }
    }

    interface Thermometer {
        double celsius();
    }

    static class Station extends Agent {
        private final Thermometer thermometer;

        Station(Container container, Thermometer thermometer) {
            super(container);
            this.thermometer = thermometer;
        }

        @Expose
        double temperature() {
            return thermometer.celsius();
        }
    }

    @Test
    void aMockedServiceAnswersRemoteCalls(TransportContext ctx) throws Exception {
        Calculator calculator = mock(Calculator.class);
        when(calculator.add(3, 4)).thenReturn(99);
        RpcConnection client = ctx.startRpcServerAndConnect(calculator);
        assertThat(client.remote().call("add", 3, 4)).isEqualTo(99);
        verify(calculator).add(3, 4);
    }

    @Test
    void anAgentsMockedDependencyIsReachedThroughAnotherAgent(Container container) throws Exception {
        Thermometer thermometer = mock(Thermometer.class);
        when(thermometer.celsius()).thenReturn(21.5);
        Station station = new Station(container, thermometer);
        assertThat(container.connect(station.address()).call("temperature")).isEqualTo(21.5);
        verify(thermometer).celsius();
    }
}
