package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.sim.Sim;
import io.loomas.sim.Simulation;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** {@link Sim} assertions add up over a sweep, and the sweep reports what no seed reached. */
class SweepAssertionsTest {

    @Tag("leaky") // fails on purpose; run only through EngineTestKit
    static class Sweeps {
        @SimulationTest(seeds = 10)
        void heldInOneSeed(Simulation sim) {
            Sim.sometimes(sim.seed() == 7, "seed seven");
            if (sim.seed() == 3) {
                Sim.reachable("seed three");
            }
        }

        @SimulationTest(seeds = 10)
        void neverHeld(Simulation sim) {
            Sim.sometimes(sim.seed() > 100, "a seed above 100");
            Sim.sometimes(true, "fine");
        }

        @SimulationTest(seeds = 5, expect = {"the retry path", "fine"})
        void expectedButNeverReached(Simulation sim) {
            Sim.sometimes(true, "fine");
        }

        @SimulationTest(seeds = 5, failUnsatisfied = false)
        void onlyReported(Simulation sim) {
            Sim.sometimes(false, "never");
        }

        @Seed(2)
        @SimulationTest(seeds = 5)
        void aReplayJudgesNoSweep(Simulation sim) {
            Sim.sometimes(false, "never");
        }
    }

    private static EngineExecutionResults run(String method) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod(Sweeps.class, method,
                        Simulation.class.getName()))
                .execute();
    }

    /** {@return the failure of the test method's container, or null if it passed} */
    private static Throwable methodFailure(EngineExecutionResults results) {
        List<Event> failed = results.containerEvents().failed().list();
        return failed.isEmpty() ? null
                : failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    @Test
    void aSometimesThatHeldInOneSeedSatisfiesTheSweep() {
        EngineExecutionResults results = run("heldInOneSeed");
        results.testEvents().assertStatistics(s -> s.succeeded(10).failed(0));
        assertThat(methodFailure(results)).isNull();
    }

    @Test
    void aSometimesThatNeverHeldFailsTheSweepAfterItsLastSeed() {
        EngineExecutionResults results = run("neverHeld");
        results.testEvents().assertStatistics(s -> s.succeeded(10).failed(0));
        assertThat(methodFailure(results)).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("in 10 seed(s) of Sweeps.neverHeld, the faults never drove the code to what"
                        + " these promise:\n  sometimes \"a seed above 100\": evaluated 10 times, never held\n(")
                .hasMessageNotContaining("fine");
    }

    @Test
    void anExpectedNameNoSeedReachedFailsTheSweep() {
        assertThat(methodFailure(run("expectedButNeverReached")))
                .hasMessageContaining("expected \"the retry path\": never reached").hasMessageNotContaining("\"fine\"");
    }

    @Test
    void withFailUnsatisfiedOffTheSweepOnlyReports() {
        EngineExecutionResults results = run("onlyReported");
        assertThat(methodFailure(results)).isNull();
        List<String> entries = results.allEvents().filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("loomas.unsatisfied"))
                .toList();
        assertThat(entries).singleElement().asString().contains("sometimes \"never\": evaluated 5 times, never held");
    }

    @Test
    void theReplayOfOneSeedJudgesNoSweep() {
        assertThat(methodFailure(run("aReplayJudgesNoSweep"))).isNull();
    }
}
