package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.Loop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Simulation.Builder}: each setting is checked when given, and each simulation keeps its own. */
class SimulationBuilderTest {

    @Test
    void aSimulationNeedsASeed() {
        assertThatThrownBy(() -> Simulation.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a seed: builder().seed(n)");
    }

    @Test
    void badSettingsAreRefusedWhenGivenNamingTheRule() {
        Simulation.Builder b = Simulation.builder();
        assertThatThrownBy(() -> b.buggify(1.5, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("enabledChance must be a probability: 1.5 (expected: 0 to 1)");
        assertThatThrownBy(() -> b.buggify(0.1, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fireChance must be a probability: NaN (expected: 0 to 1)");
        assertThatThrownBy(() -> b.budget(Duration.ZERO, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budget must be positive");
        assertThatThrownBy(() -> b.budget(Duration.ofHours(1), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budget must be positive");
        assertThatThrownBy(() -> b.blockingThreshold(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold must be positive");
        assertThatThrownBy(() -> b.latency(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theGivenLatencyReplacesTheOneTheSeedPicks() {
        Latency fixed = Latency.fixed(Duration.ofMillis(3));
        try (Simulation picked = Simulation.withSeed(8);
                Simulation given = Simulation.builder().seed(8).latency(fixed).build()) {
            assertThat(given.faultProfile()).startsWith("latency " + fixed);
            assertThat(picked.faultProfile()).doesNotStartWith("latency " + fixed);
        }
    }

    @Test
    void theBudgetGivenEndsARunThatWouldGoOnForEver() {
        try (Simulation sim = Simulation.builder().seed(3).budget(Duration.ofMinutes(1), 1_000_000).build()) {
            assertThatThrownBy(() -> sim.run(() -> {
                while (true) {
                    sim.clock().sleep(Duration.ofSeconds(1));
                }
            })).isInstanceOf(SimulationException.class).hasMessageContaining("virtual-time budget of PT1M is spent");
        }
    }

    /**
     * Two simulations alive at once, one whose fault points always fire and one whose never do:
     * each task finds its own simulation through its loop, with no registry between them.
     */
    @Test
    void simulationsAliveAtOnceEachKeepTheirOwnSettings() {
        try (Simulation always = Simulation.builder().seed(1).buggify(1, 1).build();
                Simulation never = Simulation.builder().seed(1).buggify(0, 0).build()) {
            List<Boolean> fired = new ArrayList<>();
            always.run(() -> fired.add(Loop.current().spawn(() -> Buggify.fires("x")).await()));
            never.run(() -> fired.add(Buggify.fires("x")));
            always.run(() -> fired.add(Buggify.fires("y")));
            fired.add(Buggify.fires("x")); // outside any simulation
            assertThat(fired).containsExactly(true, false, true, false);
        }
    }

    @Test
    void aFailureSaysHowToBuildTheSameSimulationAgain() {
        try (Simulation sim = Simulation.builder().seed(4).buggify(0.5, 0.2)
                .budget(Duration.ofMinutes(1), 1_000_000).traceName("named").build()) {
            assertThatThrownBy(() -> sim.run(() -> {
                throw new IllegalStateException("boom");
            })).hasMessageContaining("replay with Simulation.builder().seed(4L).buggify(0.5, 0.2)"
                    + ".budget(Duration.parse(\"PT1M\"), 1000000).build()");
        }
        try (Simulation sim = Simulation.withSeed(4)) {
            assertThatThrownBy(() -> sim.run(() -> {
                throw new IllegalStateException("boom");
            })).hasMessageContaining("replay with Simulation.withSeed(4L)");
        }
    }

    @Test
    void oneBuilderMakesTheSameRunTwiceForCheckDeterminism() {
        Simulation.Builder settings = Simulation.builder().seed(11).buggify(0.5, 0.5);
        List<Long> seeds = new ArrayList<>();
        Simulation.checkDeterminism(settings, sim -> {
            seeds.add(sim.seed());
            sim.run(() -> {
                for (int i = 0; i < 20; i++) {
                    if (Buggify.fires("site-" + (i % 3))) {
                        sim.clock().sleep(Duration.ofMillis(i));
                    }
                    Loop.current().spawn(() -> null).await();
                }
                return null;
            });
        });
        assertThat(seeds).containsExactly(11L, 11L);
    }
}
