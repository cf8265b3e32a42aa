package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.channel.Channel;
import io.loomas.channel.Request;
import io.loomas.junit.DeterminismRules;
import io.loomas.junit.SimulationTest;
import io.loomas.junit.TransportContext;
import io.loomas.junit.TransportTest;
import io.loomas.runtime.Loop;
import io.loomas.sim.Simulation;
import io.loomas.snippets.agents.Greeter;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples of the kit's Javadoc, run by the kit they show: the Javadoc shows the marked regions. */
class KitSnippets {

    // @start region="transport-test"
    @TransportTest
    void aRequestGetsItsReply(TransportContext ctx) throws IOException {
        Channel channel = ctx.startServerAndConnect(c -> c.recv().reply("cya"));
        assertThat(channel.send("ohai")).isEqualTo("cya");
    }
    // @end

    // @start region="transport-context"
    @TransportTest
    void echoes(TransportContext ctx) throws IOException {
        Channel channel = ctx.startServerAndConnect(c -> { Request r = c.recv(); r.reply(r.content()); });
        assertThat(channel.send("ohai")).isEqualTo("ohai");
    }                                         // channel and server are closed here
    // @end

    // @start region="simulation-test"
    @SimulationTest(seeds = 20)
    void aCallSurvivesAPartition(Simulation sim) throws Exception {
        Container a = sim.container("a");
        Container b = sim.container("b", Greeter::new);
        var greeter = a.connect(new AgentAddress(b.address(), "0"));
        sim.network().partition("a", "b");
        var call = Loop.current().spawn(() -> greeter.call("greet", "Ada"));
        sim.clock().sleep(Duration.ofMinutes(1));
        sim.network().heal("a", "b");
        assertThat(call.await()).isEqualTo("Hello, Ada");
    }
    // @end

    // @start region="determinism-rules"
    @Test
    void agentsUseOnlyWhatTheSimulationControls() {
        JavaClasses agents = new ClassFileImporter().importPackages("io.loomas.snippets.agents"); // @replace substring="io.loomas.snippets.agents" replacement="com.example.agents"
        DeterminismRules.ALL.check(agents);
    }
    // @end
}
