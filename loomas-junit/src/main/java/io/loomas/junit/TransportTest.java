package io.loomas.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated method once per transport and codec, each time as the main task of a fresh loop
 * as {@link LoomasTest} does, with a {@link TransportContext} parameter for that transport and codec.
 *
 * {@snippet class="io.loomas.snippets.KitSnippets" region="transport-test"}
 *
 * <p>Each invocation is named for its case: {@code [tcp/json]}, {@code [tcp/msgpack]},
 * {@code [unix/json]}, ...; with {@link KitDisplayNames} on, reports read
 * {@code aRequestGetsItsReply[tcp/json]}. The class may carry {@link LoomasTest} for the clock and
 * timeout; it needs not.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith({LoomasExtension.class, TransportTestProvider.class})
public @interface TransportTest {

    /** {@return the transports to run on; all of them by default} */
    TransportKind[] transports() default {TransportKind.TCP, TransportKind.UNIX, TransportKind.LOCAL, TransportKind.TLS};

    /** {@return the codecs to run with; both by default} */
    CodecKind[] codecs() default {CodecKind.JSON, CodecKind.MSGPACK};

    /**
     * {@return the display name of each invocation; {@code {transport}}, {@code {codec}} and
     * {@code {method}} are replaced by the case's transport, codec and the method's name}
     */
    String name() default "[{transport}/{codec}]";
}
