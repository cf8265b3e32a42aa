package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.sim.examples.FailureDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scheduling strategies: their forms, their determinism, and what they find that a uniform pick does not. */
class SchedulingTest {

    @ParameterizedTest
    @ValueSource(strings = {"random", "portfolio", "pct(3)", "pct(2, 500)", "delays(0)", "delays(2)", "delays(1, 40)"})
    void aStrategyReadsBackFromItsShortForm(String form) {
        Scheduling s = Scheduling.parse(form);
        assertThat(s.shortForm()).isEqualTo(form);
        assertThat(Scheduling.parse(" " + form.replace(",", " , ") + " ")).isEqualTo(s);
    }

    @Test
    void aWrongFormIsRefusedWithTheFormsThatExist() {
        for (String bad : List.of("", "pct", "random(2)", "pct(0)", "pct(101)", "delays(-1)", "pct(2, 0)", "fifo",
                "pct(99999999999)")) {
            assertThatThrownBy(() -> Scheduling.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Scheduling.parse("fifo")).hasMessageContaining("expected: random, portfolio, pct(depth)");
        assertThatThrownBy(() -> Scheduling.pct(0)).hasMessageContaining("depth must be within [1, 100]: 0");
    }

    @Test
    void theReplayLineAndTheFaultProfileNameTheStrategy() {
        Simulation.Builder b = Simulation.builder().seed(7).scheduling(Scheduling.pct(3));
        assertThat(b.replayCode()).isEqualTo("Simulation.builder().seed(7L).scheduling(Scheduling.pct(3)).build()");
        try (Simulation sim = b.build()) {
            assertThat(sim.faultProfile()).startsWith("scheduling pct(3), latency ");
        }
        try (Simulation sim = Simulation.withSeed(7)) {
            assertThat(sim.faultProfile()).startsWith("latency ");
        }
    }

    @Test
    void aPortfolioPicksEachStrategyForSomeSeedsAndTheSameOneForTheSameSeed() {
        List<String> picked = new ArrayList<>();
        for (long seed = 0; seed < 30; seed++) {
            try (Simulation a = Simulation.builder().seed(seed).scheduling(Scheduling.portfolio()).build();
                    Simulation b = Simulation.builder().seed(seed).scheduling(Scheduling.portfolio()).build()) {
                assertThat(a.faultProfile()).isEqualTo(b.faultProfile());
                picked.add(a.faultProfile().startsWith("scheduling ") ? a.faultProfile().split(",")[0] : "random");
            }
        }
        assertThat(picked).anyMatch(p -> p.startsWith("scheduling pct(")).anyMatch(p -> p.startsWith("scheduling delays("))
                .contains("random");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pct(3)", "pct(2, 50)", "delays(2)", "delays(3, 30)", "portfolio"})
    void everyStrategyReplaysTheSameRunForTheSameSeed(String form) {
        for (long seed = 0; seed < 10; seed++) {
            Simulation.checkDeterminism(Simulation.builder().seed(seed).scheduling(Scheduling.parse(form)),
                    sim -> FailureDetector.run(sim, FailureDetector.STEPS)); // patient: never fails
        }
    }

    /** Before yields ranked last under PCT, a task in Loop.runUntilIdle outranked the others for ever (a livelock). */
    @ParameterizedTest
    @ValueSource(strings = {"random", "pct(1)", "pct(2)", "pct(5, 10)", "delays(3)"})
    void aTaskThatYieldsUntilTheOthersAreIdleLetsThemRun(String form) {
        for (long seed = 0; seed < 20; seed++) {
            try (Simulation sim = Simulation.builder().seed(seed).scheduling(Scheduling.parse(form))
                    .budget(java.time.Duration.ofHours(1), 100_000).build()) {
                int[] steps = {0};
                sim.run(() -> {
                    for (int t = 0; t < 3; t++) {
                        Loop.current().spawn("worker-" + t, () -> {
                            for (int i = 0; i < 10; i++) {
                                steps[0]++;
                                Loop.yieldNow();
                            }
                            return null;
                        });
                    }
                    Loop.runUntilIdle();
                    return null;
                });
                assertThat(steps[0]).as(form + " seed " + seed).isEqualTo(30);
            }
        }
    }

    @Test
    void delayBoundingWithNoDelaysRunsTasksInTheOrderTheyBecameReady() {
        try (Simulation sim = Simulation.builder().seed(1).scheduling(Scheduling.delayBounded(0)).build()) {
            List<String> order = sim.run(() -> {
                List<String> seen = new ArrayList<>();
                List<Task<Object>> tasks = new ArrayList<>();
                for (String name : List.of("a", "b", "c")) {
                    tasks.add(Loop.current().spawn(name, () -> {
                        for (int i = 0; i < 2; i++) {
                            seen.add(name + i);
                            Loop.yieldNow();
                        }
                        return null;
                    }));
                }
                Future.all(tasks).await();
                return seen;
            });
            assertThat(order).containsExactly("a0", "b0", "c0", "a1", "b1", "c1");
        }
    }

    /**
     * The bug needs an order of several steps: the heartbeat has started, then it is starved while
     * the detector checks {@code patience} times in a row. A uniform pick rarely makes one task wait
     * that long; PCT does it whenever the detector outranks the heartbeat after a change point.
     */
    @Test
    void pctFindsAnOrderingBugThatAUniformPickMissesForHundredsOfSeeds() {
        int random = FailureDetector.firstFailingSeed(Scheduling.random(), 16, 300);
        int pct = FailureDetector.firstFailingSeed(Scheduling.pct(3), 16, 300);
        int delays = FailureDetector.firstFailingSeed(Scheduling.delayBounded(2), 16, 300);
        System.out.printf("failure detector (patience 16), first failing seed: random %d, pct(3) %d, delays(2) %d"
                + " (-1: none in 300)%n", random, pct, delays);
        assertThat(pct).isBetween(0, 30);
        assertThat(random).as("the uniform pick should not find it in 300 seeds").isEqualTo(-1);
    }
}
