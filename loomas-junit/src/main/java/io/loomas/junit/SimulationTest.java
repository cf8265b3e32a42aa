package io.loomas.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test once per seed, each time as the main task of a fresh
 * {@link io.loomas.sim.Simulation} (injected as a parameter), named for its seed.
 *
 * <pre>{@code
 * @SimulationTest(seeds = 200)
 * void aCallSurvivesAPartition(Simulation sim) throws Exception {
 *     Container a = sim.container("a");
 *     Container b = sim.container("b", Echo::new);
 *     ...
 * }
 * }</pre>
 *
 * <p>A failing seed fails its invocation with one replay line: the seed, the virtual time, the
 * faults in force, the trace file, and how to run just that seed again ({@link Seed @Seed(…)} on the
 * method, or {@code -Dloomas.seed=…} on the command line). {@code -Dloomas.seeds=N} widens (or
 * narrows) every sweep without code changes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@TestTemplate
@ExtendWith(SimulationExtension.class)
public @interface SimulationTest {

    /** {@return how many seeds to run: firstSeed, firstSeed + 1, ...} */
    int seeds() default 100;

    /** {@return the first seed of the sweep} */
    long firstSeed() default 0;

    /** {@return the display name of each invocation; {method} and {seed} are replaced} */
    String name() default "{method}[seed={seed}]";
}
