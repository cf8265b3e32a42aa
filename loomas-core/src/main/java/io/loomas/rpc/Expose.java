package io.loomas.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as callable from the peer of an RPC connection; nothing else of a service is
 * reachable from the wire.
 *
 * <p>The method is called by its name, or by {@link #value()} if given (for peers in other
 * languages: {@code @Expose("validate_aid")}). Its arguments are converted to the declared parameter
 * types; it may wait (from its first scheduling point on, it has a task of its own) and its return
 * value is sent back. On an interface used as a typed proxy, {@code @Expose("name")} sets the
 * remote name a method calls.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Expose {

    /** {@return the name on the wire; empty for the Java method's name} */
    String value() default "";
}
