package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.loomas.agent.Agent;
import io.loomas.agent.Container;
import io.loomas.runtime.Loop;
import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A task started with {@code Agent.spawn} that fails and that nobody awaits is not dropped: it
 * fails a {@code @LoomasTest} and a {@code @SimulationTest}, naming the task and where it was made.
 * (The container used to look at such failures itself, through its bookkeeping callback.)
 */
class LostFailuresTest {

    static class Doomed extends Agent {
        Doomed(Container container) {
            super(container);
            spawn("ticker", () -> {
                throw new IllegalStateException("the agent's task broke");
            });
        }
    }

    @Tag("leaky")
    @LoomasTest
    static class AnAgentTaskFailsInALoomasTest {
        @Test
        void test(Container container) {
            new Doomed(container);
            Loop.runUntilIdle();
        }
    }

    @Tag("leaky")
    static class AnAgentTaskFailsInASimulationTest {
        @SimulationTest(seeds = 2)
        void test(Simulation sim) throws Exception {
            sim.container("a", Doomed::new);
            Loop.runUntilIdle();
        }
    }

    static List<Throwable> failures(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute()
                .testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
    }

    @Test
    void aLoomasTestFailsNamingTheAgentsTaskAndWhereItWasCreated() {
        assertThat(failures(AnAgentTaskFailsInALoomasTest.class)).singleElement().satisfies(f -> assertThat(f)
                .hasMessageContaining("ticker' failed and nobody retrieved its failure; task created at "
                        + Doomed.class.getName() + ".<init>(LostFailuresTest.java:")
                .hasMessageContaining("the agent's task broke"));
    }

    @Test
    void aSimulationTestFailsForEverySeedNamingTheAgentsTask() {
        assertThat(failures(AnAgentTaskFailsInASimulationTest.class)).hasSize(2).allSatisfy(f -> assertThat(f)
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("1 failure(s) no code handled")
                .hasMessageContaining("ticker' failed and nobody retrieved its failure")
                .hasMessageContaining("the agent's task broke")
                .hasMessageContaining("Replay just this seed"));
    }
}
