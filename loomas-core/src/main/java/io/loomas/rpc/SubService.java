package io.loomas.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a service as a named sub-service, reachable under the field's name (or
 * {@link #value()}): {@code @SubService final Calculator math = new Calculator();} makes the path
 * {@code "math/add"} call {@code math.add}. Make the field final: the router caches paths through
 * final fields.
 *
 * <p>On an interface used as a typed proxy, it marks a no-argument method that returns the typed
 * proxy of the sub-service of that name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface SubService {

    /** {@return the sub-service's name in paths; empty for the field's or method's name} */
    String value() default "";
}
