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
 * {@snippet class="io.loomas.snippets.RpcSnippets" region="kwargs"}
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Kwargs {}
