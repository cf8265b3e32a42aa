package io.loomas.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code Map<String, Object>} parameter of an {@link Expose exposed} method that collects
 * the keyword arguments no other parameter takes, as Python's {@code **kwargs} does; it is empty if
 * there are none. It is never filled by position, so it may stand before a varargs parameter:
 *
 * <pre>{@code
 * @Expose
 * List<Object> spawn(String className, @Kwargs Map<String, Object> options, Object... args) { ... }
 * // a Python peer: await manager.spawn("com.example.Worker", 1, 2, speed=3)
 * //   className = "com.example.Worker", args = [1, 2], options = {speed=3}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Kwargs {}
