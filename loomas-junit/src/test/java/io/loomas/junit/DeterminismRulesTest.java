package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.loomas.junit.rulesamples.CarefulAgent;
import io.loomas.junit.rulesamples.CarelessAgent;
import org.junit.jupiter.api.Test;

class DeterminismRulesTest {
    private static final JavaClasses CARELESS = new ClassFileImporter().importClasses(CarelessAgent.class);
    private static final JavaClasses CAREFUL = new ClassFileImporter().importClasses(CarefulAgent.class);

    @Test
    void wallClocksAreNamedWithTheLineAndWhatToUseInstead() {
        assertThatThrownBy(() -> DeterminismRules.NO_WALL_CLOCK.check(CARELESS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("CarelessAgent.stamp()")
                .hasMessageContaining("System.currentTimeMillis()")
                .hasMessageContaining("(CarelessAgent.java:10)")
                .hasMessageContaining("Instant.now()")
                .hasMessageContaining("use the agent's or container's clock()");
    }

    @Test
    void unseededRandomnessIsNamed() {
        assertThatThrownBy(() -> DeterminismRules.NO_UNSEEDED_RANDOM.check(CARELESS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Random.<init>()")
                .hasMessageContaining("Math.random()")
                .hasMessageContaining("random() (seeded by the simulation)");
    }

    @Test
    void threadsAndExecutorsAreNamed() {
        assertThatThrownBy(() -> DeterminismRules.NO_THREADS.check(CARELESS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Thread.start()")
                .hasMessageContaining("Thread.sleep(long)")
                .hasMessageContaining("Executors.newSingleThreadExecutor()")
                .hasMessageContaining("loop.spawn(...)");
    }

    @Test
    void codeThatUsesTheAgentsClockAndRandomPasses() {
        assertThatCode(() -> DeterminismRules.ALL.check(CAREFUL)).doesNotThrowAnyException();
    }
}
