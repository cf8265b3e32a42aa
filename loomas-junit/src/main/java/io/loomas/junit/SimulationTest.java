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
 * {@snippet class="io.loomas.snippets.KitSnippets" region="simulation-test"}
 *
 * <p>A failing seed fails its invocation with one replay line: the seed, the virtual time, the
 * faults in force, the trace file ({@code target/loomas-traces/<Class>.<method>-seed-<seed>.jsonl}),
 * and how to run just that seed again ({@link Seed @Seed(…)} on the method, or
 * {@code -Dloomas.seed=…} on the command line). {@code -Dloomas.seeds=N} widens (or narrows) every
 * sweep without code changes, and {@code -Dloomas.from=S} moves its first seed. The
 * {@code loomas sweep} command runs these methods' seeds on several JVMs.
 *
 * <p>{@link io.loomas.sim.Sim} assertions add up over the sweep: when its last seed has run, a
 * {@code sometimes} that never held, or a name of {@link #expect()} that never held, fails the
 * test method (its container in the report) with a list of them and of how often each was
 * evaluated, unless {@link #failUnsatisfied()} is false, when they are only logged and published
 * as a report entry.
 *
 * <p>The first {@link #checkDeterminism()} seeds of a sweep run twice, and their traces are
 * compared: code that reads the wall clock or an unseeded random source, or iterates a collection
 * in identity order, fails there with the first event where the two runs part. The second run
 * calls the method again on the same test instance, so it should keep its state in the
 * simulation, not in fields.
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

    /**
     * {@return how many seeds of the sweep (the first ones) run twice to check that the run is
     * deterministic; 0 for none; {@code -Dloomas.checkDeterminism=N} overrides it}
     */
    int checkDeterminism() default 1;

    /**
     * {@return the virtual-time budget of each seed's simulation as an ISO-8601 duration ("PT1H");
     * empty for {@link io.loomas.sim.Simulation#DEFAULT_MAX_VIRTUAL_TIME}}
     */
    String maxVirtualTime() default "";

    /** {@return the trace-event budget of each seed's simulation; 0 for {@link io.loomas.sim.Simulation#DEFAULT_MAX_EVENTS}} */
    long maxEvents() default 0;

    /**
     * {@return how long (wall time, ISO-8601) a task may hold the loop before the run fails; empty
     * for {@link io.loomas.sim.Simulation#DEFAULT_BLOCKING_THRESHOLD}}
     */
    String blockingThreshold() default "";

    /**
     * {@return how each seed's simulation picks the next task, in the form
     * {@link io.loomas.sim.Scheduling#parse} reads: {@code "random"} (the default), {@code "pct(3)"},
     * {@code "delays(2)"}, {@code "portfolio"}; {@code -Dloomas.scheduling=...} overrides it}
     */
    String scheduling() default "random";

    /**
     * {@return the nemesis each seed's run starts before the test method, in the form
     * {@link io.loomas.sim.Nemesis#parse} reads ({@code "swarm"}, {@code "swarm(partition, crash)"});
     * empty for none; {@code -Dloomas.faults=...} overrides it}
     */
    String faults() default "";

    /**
     * {@return how long the chaos phase of {@link #faults()} lasts, as an ISO-8601 duration; empty
     * for {@link io.loomas.sim.Nemesis#DEFAULT_CHAOS}. The test method's
     * {@link io.loomas.sim.Simulation#liveness} call waits for its end}
     */
    String chaos() default "";

    /**
     * {@return names of {@link io.loomas.sim.Sim#sometimes} or {@link io.loomas.sim.Sim#reachable}
     * assertions that must hold in at least one seed of the sweep, even if no seed reached them}
     */
    String[] expect() default {};

    /**
     * {@return whether a sweep fails when a {@code sometimes} assertion was evaluated but never
     * held in any seed, or a name of {@link #expect()} never held; either way the sweep reports
     * them. A replay of one seed ({@link Seed}, {@code -Dloomas.seed}) checks nothing of the kind}
     */
    boolean failUnsatisfied() default true;

    /** {@return the display name of each invocation; {method} and {seed} are replaced} */
    String name() default "[seed={seed}]";
}
