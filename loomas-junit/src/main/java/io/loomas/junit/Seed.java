package io.loomas.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link SimulationTest} with exactly one seed: the one a failure printed, to replay it and
 * debug it. Remove it once the bug is fixed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Seed {

    /** {@return the seed to replay} */
    long value();
}
