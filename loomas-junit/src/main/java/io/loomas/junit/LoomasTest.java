package io.loomas.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test method of the annotated class as the main task of a fresh {@link io.loomas.runtime.Loop}.
 *
 * <p>For every test method the kit creates a loop (in debug mode, so tasks remember where they were
 * created), runs {@code @BeforeEach} methods, the test method and {@code @AfterEach} methods as tasks
 * of it, then closes what the test opened through {@link TransportContext} and checks that nothing
 * was left behind (see {@link Leak}; switch checks off with {@link AllowLeaks}). Parameters of those
 * methods are resolved by type:
 * <ul>
 *   <li>{@link io.loomas.runtime.Loop}: the test's loop;
 *   <li>{@link io.loomas.runtime.Clock}: its clock ({@link io.loomas.runtime.VirtualClock} too, under {@link ClockKind#VIRTUAL});
 *   <li>{@link io.loomas.agent.Container}: a fresh container bound to a free address of the test's
 *       transport, shut down after the test (each such parameter gets its own);
 *   <li>{@link TransportContext}: addresses, servers and connections of the test's transport (tcp/json
 *       here; every transport and codec under {@link TransportTest}).
 * </ul>
 *
 * {@snippet class="io.loomas.snippets.GreeterTest" region="loomas-test"}
 *
 * <p>On a method, the annotation overrides the class's settings for that method (the method still
 * needs {@code @Test}). A test that runs longer than {@link #timeout()} fails with the stack of every
 * task of its loop instead of hanging the build.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(LoomasExtension.class)
public @interface LoomasTest {

    /** {@return the clock of the test's loop; the system clock by default} */
    ClockKind clock() default ClockKind.SYSTEM;

    /**
     * {@return how long (wall time) each lifecycle method may run before it fails with a dump of
     * every task's stack; must be positive}
     */
    long timeout() default 30;

    /** {@return the unit of {@link #timeout()}} */
    TimeUnit timeoutUnit() default TimeUnit.SECONDS;
}
