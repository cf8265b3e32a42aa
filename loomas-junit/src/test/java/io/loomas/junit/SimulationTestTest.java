package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.sim.Simulation;
import io.loomas.sim.SimulationException;
import io.loomas.sim.Latency;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** {@link SimulationTest}: one invocation per seed, replay lines on failure, @Seed and -Dloomas.seed(s). */
class SimulationTestTest {

    static class Echo extends Agent {
        Echo(Container c) {
            super(c);
        }

        @Expose
        int echo(int x) {
            return x;
        }
    }

    @SimulationTest(seeds = 20)
    void aCallAcrossTheSimulatedNetworkAnswers(Simulation sim) throws Exception {
        Container a = sim.container("a");
        Container b = sim.container("b", Echo::new);
        assertThat(a.connect(new AgentAddress(b.address(), "0")).call("echo", 7)).isEqualTo(7);
    }

    @Tag("leaky") // fails on purpose for some seeds; run only through EngineTestKit
    static class FlakyUnderSomeSeeds {
        @SimulationTest(seeds = 40)
        void repliesArriveInSendOrder(Simulation sim) throws Exception {
            sim.network().setLatency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(30)));
            Container a = sim.container("a");
            Container b = sim.container("b", Echo::new);
            var echo = a.connect(new AgentAddress(b.address(), "0"));
            var first = echo.callAsync("echo", 1);
            sim.clock().sleep(Duration.ofMillis(5));
            var second = echo.callAsync("echo", 2);
            second.await();
            if (!first.isDone()) {
                throw new AssertionError("the second reply overtook the first");
            }
        }
    }

    @Tag("leaky")
    static class PinnedToOneSeed {
        @Seed(3)
        @SimulationTest(seeds = 100)
        void replayed(Simulation sim) {
            assertThat(sim.seed()).isEqualTo(3);
        }
    }

    @Tag("leaky")
    static class Sweep {
        @SimulationTest(seeds = 100)
        void sweep(Simulation sim) {
            assertThat(sim.seed()).isBetween(0L, 99L);
        }
    }

    private static EngineExecutionResults run(Class<?> testClass, String... parameters) {
        var kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass));
        for (int i = 0; i < parameters.length; i += 2) {
            kit = kit.configurationParameter(parameters[i], parameters[i + 1]);
        }
        return kit.execute();
    }

    private static List<String> names(EngineExecutionResults results) {
        return results.testEvents().finished().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }

    @Test
    void eachSeedIsAnInvocationNamedForIt() {
        EngineExecutionResults results = run(PinnedToOneSeed.class);
        assertThat(names(results)).containsExactly("[seed=3]");
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void aFailingSeedPrintsOneReplayLine() {
        EngineExecutionResults results = run(FlakyUnderSomeSeeds.class);
        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed).as("some seeds let the second reply overtake the first").isNotEmpty();
        assertThat(results.testEvents().succeeded().count()).as("and some do not").isPositive();
        Event first = failed.get(0);
        String name = first.getTestDescriptor().getDisplayName();
        long seed = Long.parseLong(name.substring(name.indexOf("seed=") + 5, name.length() - 1));
        Throwable error = first.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(error).isInstanceOf(SimulationException.class)
                .hasMessageStartingWith("the second reply overtook the first\nsimulation failed (seed=" + seed)
                .hasMessageContaining("seed=" + seed + ", virtual time ")
                .hasMessageContaining("faults: latency uniform(PT0.001S, PT0.03S)")
                .hasMessageContaining("target/loomas-traces/FlakyUnderSomeSeeds.repliesArriveInSendOrder-seed-" + seed + ".jsonl")
                .hasMessageContaining("@Seed(" + seed + ") on the test method, or -Dloomas.seed=" + seed)
                .hasRootCauseMessage("the second reply overtook the first");

        // The printed seed replays the failure, alone.
        EngineExecutionResults replay = run(FlakyUnderSomeSeeds.class, "loomas.seed", Long.toString(seed));
        assertThat(names(replay)).containsExactly("[seed=" + seed + "]");
        replay.testEvents().assertStatistics(s -> s.failed(1));
    }

    @Test
    void theSweepCanBeWidenedOrNarrowedFromTheCommandLine() {
        assertThat(names(run(Sweep.class))).hasSize(100);
        assertThat(names(run(Sweep.class, "loomas.seeds", "7"))).hasSize(7).startsWith("[seed=0]");
        assertThat(names(run(Sweep.class, "loomas.seeds", "3", "loomas.from", "1000"))).containsExactly(
                "[seed=1000]", "[seed=1001]", "[seed=1002]");
    }

    @Test
    void forTheSweepCommandEachSeedReportsItselfAndItsAssertionsAndNothingIsJudgedHere() {
        // NeverKept's promise fails a sweep by itself; for the command, which judges over all its workers, it does not.
        EngineExecutionResults alone = run(NeverKept.class, "loomas.seeds", "2");
        alone.containerEvents().assertStatistics(s -> s.failed(1));
        List<java.util.Map<String, String>> entries = new java.util.ArrayList<>();
        var kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeverKept.class))
                .configurationParameter("loomas.seeds", "2").configurationParameter("loomas.from", "5")
                .configurationParameter("loomas.sweep.report", "true").execute();
        kit.containerEvents().assertStatistics(s -> s.failed(0));
        kit.allEvents().reportingEntryPublished().stream().forEach(e -> entries.add(
                e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class).getKeyValuePairs()));
        assertThat(entries).extracting(e -> e.get("loomas.seed")).filteredOn(java.util.Objects::nonNull).containsExactly("5", "6");
        assertThat(entries).filteredOn(e -> e.containsKey("loomas.seed")).allSatisfy(e -> {
            assertThat(e.get("loomas.expect")).isEqualTo("never");
            assertThat(e.get("loomas.failUnsatisfied")).isEqualTo("true");
        });
        assertThat(entries).extracting(e -> e.get("loomas.assertions")).filteredOn(java.util.Objects::nonNull)
                .containsExactly("SOMETIMES\t1\t0\tholds once\n", "SOMETIMES\t1\t0\tholds once\n");
    }

    @Tag("leaky")
    static class NeverKept {
        @SimulationTest(seeds = 2, expect = "never")
        void promises(Simulation sim) {
            io.loomas.sim.Sim.sometimes(false, "holds once");
        }
    }

    @Tag("leaky")
    static class StateOutsideTheSimulation {
        static int runs; // stands for the wall clock or an unseeded random source

        @SimulationTest(seeds = 3)
        void sleepsAsLongAsItHasRun(Simulation sim) {
            sim.clock().sleep(Duration.ofMillis(++runs));
        }
    }

    @Test
    void theFirstSeedRunsTwiceAndANonDeterministicTestFailsWithTheFirstDifference() {
        StateOutsideTheSimulation.runs = 0;
        EngineExecutionResults results = run(StateOutsideTheSimulation.class);
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(1));
        Event failed = results.testEvents().failed().list().get(0);
        assertThat(failed.getTestDescriptor().getDisplayName()).isEqualTo("[seed=0]");
        assertThat(failed.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("simulation is not deterministic (seed=0): the runs part at event")
                .hasMessageContaining("first run:  #0 PT0.001S time jump from PT0S")
                .hasMessageContaining("second run: #0 PT0.002S time jump from PT0S")
                .hasMessageContaining("Replay just this seed: @Seed(0)");
        assertThat(StateOutsideTheSimulation.runs).isEqualTo(4); // seed 0 twice, seeds 1 and 2 once

        StateOutsideTheSimulation.runs = 0;
        run(StateOutsideTheSimulation.class, "loomas.checkDeterminism", "0").testEvents()
                .assertStatistics(s -> s.succeeded(3).failed(0));
        assertThat(StateOutsideTheSimulation.runs).isEqualTo(3);
    }

    @Tag("leaky")
    static class Budgeted {
        @SimulationTest(seeds = 1, maxVirtualTime = "PT1M", checkDeterminism = 0)
        void waitsForEverWhileATimerTicks(Simulation sim) {
            sim.loop().spawn("heartbeat", () -> {
                while (true) {
                    sim.clock().sleep(Duration.ofSeconds(1));
                }
            });
            new io.loomas.runtime.Promise<>().await();
        }

        @SimulationTest(seeds = 1, maxVirtualTime = "an hour")
        void badlyConfigured(Simulation sim) {}
    }

    @Test
    void budgetsAreSetPerTestAndAMistypedOneSaysWhatIsExpected() {
        EngineExecutionResults results = run(Budgeted.class);
        Throwable livelock = results.allEvents().failed().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("waitsForEverWhileATimerTicks"))
                .findFirst().orElseThrow().getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(livelock).hasMessageContaining("suspected livelock: the virtual-time budget of PT1M is spent")
                .hasMessageContaining("task 'heartbeat' waits at");
        Throwable misconfigured = results.allEvents().failed().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("badlyConfigured"))
                .findFirst().orElseThrow().getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(misconfigured).hasMessageContaining("@SimulationTest(maxVirtualTime = \"an hour\")")
                .hasMessageContaining("is not an ISO-8601 duration");
    }
}
