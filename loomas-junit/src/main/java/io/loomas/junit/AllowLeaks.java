package io.loomas.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns some or all of the checks run after a {@link LoomasTest} method off, for the rare test that
 * leaves something behind on purpose. On a method it applies to that method; on a class, to all of
 * its methods that do not carry their own.
 *
 * {@snippet class="io.loomas.snippets.LeakSnippets" region="allow-leaks"}
 *
 * <p>Whatever is allowed is still cleaned up: tasks are cancelled, the loop is closed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AllowLeaks {

    /** {@return the checks to skip; all of them by default} */
    Leak[] value() default {Leak.RUNNING_TASKS, Leak.UNRETRIEVED_FAILURES, Leak.OPEN_RESOURCES, Leak.PENDING_TIMERS, Leak.BLOCKING};
}
