package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.Loop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Sim}: always and unreachable fail the run at once wherever they are; the others are counted. */
class SimAssertionsTest {

    @Test
    void aViolatedAlwaysInABackgroundTaskFailsTheRunAtOnceEvenIfTheTaskSwallowsIt() {
        try (Simulation sim = Simulation.withSeed(5)) {
            assertThatThrownBy(() -> sim.run(() -> {
                Loop.current().spawn("auditor", () -> {
                    for (int balance = 3; ; balance--) {
                        try {
                            Sim.always(balance >= 0, "balance is never negative");
                        } catch (AssertionError swallowed) {
                            // a retry loop that catches everything: the run must fail all the same
                        }
                        sim.clock().sleep(Duration.ofSeconds(1));
                    }
                });
                sim.clock().sleep(Duration.ofHours(1)); // the run must not wait for this
                return null;
            })).isInstanceOf(SimulationException.class)
                    .hasMessageStartingWith("always \"balance is never negative\" does not hold in task 'auditor'"
                            + " at virtual time PT4S")
                    .hasMessageContaining("failed at once on a violated assertion (seed=5, virtual time PT4S")
                    .hasMessageContaining("replay with Simulation.withSeed(5L)")
                    .hasCauseInstanceOf(AssertionError.class);
            assertThat(sim.trace().events()).anyMatch(e -> e.kind().equals("assert")
                    && e.detail().startsWith("always \"balance is never negative\" does not hold"));
        }
    }

    @Test
    void reachingAnUnreachablePlaceFailsTheRunAtOnce() {
        try (Simulation sim = Simulation.withSeed(1)) {
            assertThatThrownBy(() -> sim.run(() -> {
                sim.clock().sleep(Duration.ofMillis(3));
                Sim.unreachable("a second leader in one term");
                return "not here";
            })).hasMessageStartingWith("unreachable \"a second leader in one term\" was reached in task 'main'");
        }
    }

    @Test
    void sometimesAndReachableAreCountedPerNameAndNeverFailARun() {
        try (Simulation sim = Simulation.withSeed(2)) {
            sim.run(() -> {
                for (int i = 0; i < 5; i++) {
                    Sim.sometimes(i == 3, "fourth try");
                    Sim.sometimes(false, "never");
                    Sim.always(true, "fine");
                }
                Sim.reachable("the end");
                return null;
            });
            assertThat(sim.assertions()).containsExactly(
                    new Sim.Assertion("fine", Sim.Kind.ALWAYS, 5, 5),
                    new Sim.Assertion("fourth try", Sim.Kind.SOMETIMES, 5, 1),
                    new Sim.Assertion("never", Sim.Kind.SOMETIMES, 5, 0),
                    new Sim.Assertion("the end", Sim.Kind.REACHABLE, 1, 1));
            assertThat(sim.assertions()).filteredOn(a -> !a.satisfied()).extracting(Sim.Assertion::name)
                    .containsExactly("never");
            assertThat(sim.trace().events()).filteredOn(e -> e.kind().equals("assert")).extracting(Trace.Event::detail)
                    .containsExactly("sometimes \"fourth try\" holds, first time", "reachable \"the end\" holds, first time");
        }
    }

    @Test
    void oneNameServesOneKindOfAssertion() {
        try (Simulation sim = Simulation.withSeed(3)) {
            assertThatThrownBy(() -> sim.run(() -> {
                Sim.sometimes(true, "x");
                Sim.always(true, "x");
                return null;
            })).hasMessageContaining("assertion \"x\" is SOMETIMES elsewhere, and ALWAYS here");
        }
    }

    @Test
    void outsideASimulationAssertionsDoNothing() {
        Sim.always(false, "outside");
        Sim.unreachable("outside too");
        Loop.run(() -> {
            Sim.always(false, "on a real loop");
            return null;
        });
    }

    @Test
    void aViolationReplaysAtTheSameEvent() {
        for (long s = 0; s < 5; s++) {
            long seed = s;
            assertThatThrownBy(() -> Simulation.checkDeterminism(Simulation.builder().seed(seed),
                    sim -> sim.run(() -> {
                        for (String name : List.of("a", "b", "c")) {
                            Loop.current().spawn(name, () -> {
                                sim.clock().sleep(Duration.ofMillis(sim.random(name).nextInt(10)));
                                Sim.always(!name.equals("b"), "b never runs");
                                return null;
                            });
                        }
                        sim.clock().sleep(Duration.ofSeconds(1));
                        return null;
                    }))).hasMessageStartingWith("always \"b never runs\" does not hold in task 'b'");
        }
    }
}
