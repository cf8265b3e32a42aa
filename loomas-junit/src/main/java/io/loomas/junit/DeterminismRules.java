package io.loomas.junit;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ArchUnit rules for the user's own agent and protocol code: what a simulation cannot intercept
 * and so cannot replay. A simulation controls time, scheduling and the network, but a call to the
 * wall clock or an unseeded random source gives each run different numbers, and a thread of its
 * own runs at moments no seed decides: the same seed then gives different runs. Check the classes
 * that run inside simulations:
 *
 * {@snippet class="io.loomas.snippets.KitSnippets" region="determinism-rules"}
 *
 * <p>A violation names the class, the line and what to use instead: {@code clock()} of the agent
 * or container for time, {@code random()} for random numbers, {@code loop.spawn} for concurrency.
 * {@link SimulationTest#checkDeterminism()} finds the same mistakes at run time, as the first event
 * where two runs of one seed part.
 */
public final class DeterminismRules {
    private DeterminismRules() {}

    /** No wall clock: {@code System.currentTimeMillis/nanoTime}, {@code Instant.now()}, {@code new Date()}, the {@code now()} of java.time. */
    public static final ArchRule NO_WALL_CLOCK = noClasses()
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(LocalDate.class, "now")
            .orShould().callMethod(LocalTime.class, "now")
            .orShould().callMethod(ZonedDateTime.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now")
            .orShould().callMethod(java.time.Clock.class, "systemUTC")
            .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
            .orShould().callConstructor(Date.class)
            .because("the wall clock differs from run to run; use the agent's or container's clock()"
                    + " (now() for intervals, utcNow() for dates), which a simulation makes virtual");

    /** No unseeded randomness: {@code new Random()}, {@code Math.random()}, {@code ThreadLocalRandom}, {@code UUID.randomUUID()}, {@code SecureRandom}. */
    public static final ArchRule NO_UNSEEDED_RANDOM = noClasses()
            .should().callConstructor(Random.class)
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethod(ThreadLocalRandom.class, "current")
            .orShould().callMethod(UUID.class, "randomUUID")
            .orShould().callConstructor(SecureRandom.class)
            .because("an unseeded random source differs from run to run; use the agent's or container's"
                    + " random() (seeded by the simulation), or new Random(seed) with a seed from it");

    /** No threads of one's own: {@code Thread.start}, {@code Thread.sleep}, executors. */
    public static final ArchRule NO_THREADS = noClasses()
            .should().callMethod(Thread.class, "start")
            .orShould().callMethod(Thread.class, "sleep", long.class)
            .orShould().callMethod(Thread.class, "sleep", java.time.Duration.class)
            .orShould().callMethodWhere(target(owner(equivalentTo(Executors.class))))
            .because("a thread runs at moments no seed decides, and Thread.sleep holds the loop; use"
                    + " loop.spawn(...) for concurrency and clock().sleep(...) to wait");

    /** All three rules. */
    public static final ArchRule ALL = CompositeArchRule.of(NO_WALL_CLOCK).and(NO_UNSEEDED_RANDOM).and(NO_THREADS);
}
