package com.example.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.junit.LoomasTest;
import io.loomas.junit.SimulationTest;
import io.loomas.rpc.Remote;
import io.loomas.sim.Simulation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@LoomasTest
class GreeterTest {

    @Test
    void greetsOverTcp(Container client, Container server) throws Exception {
        Greeter greeter = new Greeter(server);
        Remote remote = client.connect(greeter.address());
        assertEquals("Hello, Ada!", remote.call("greet", "Ada", "!"));
        // Keyword arguments match parameter names: the build compiles with -parameters.
        assertEquals("Hello, Ada.", remote.callWithKwargs("greet", List.of("Ada"), Map.of("punctuation", ".")));
    }

    @SimulationTest(seeds = 20)
    void greetsAcrossASimulatedNetwork(Simulation sim) throws Exception {
        Container a = sim.container("a");
        Container b = sim.container("b", Greeter::new);
        assertEquals("Hello, Bob?", a.connect(new AgentAddress(b.address(), "0")).call("greet", "Bob", "?"));
    }
}
