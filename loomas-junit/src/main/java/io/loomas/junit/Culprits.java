package io.loomas.junit;

import io.loomas.runtime.internal.Frames;
import java.util.List;

/** Finds the user's line in a creation or opening site recorded inside loomas. */
final class Culprits {
    /** Library packages: the frames a culprit's site is never in. */
    private static final List<String> LIBRARY = List.of(
            "io.loomas.runtime.", "io.loomas.channel.", "io.loomas.rpc.", "io.loomas.agent.", "io.loomas.transport.",
            "io.loomas.codec.", "java.", "jdk.", "sun.");
    /** The kit's own classes (its tests live in the same package, so match names, not the package). */
    private static final List<String> KIT = List.of(
            TransportContext.class.getName(), TestRun.class.getName(), LoomasExtension.class.getName());

    /**
     * Test tooling that blocks once while it sets itself up (Mockito attaching its agent on the
     * first mock, say): a test does not fail for that.
     */
    private static final List<String> TEST_TOOLING = List.of(
            "org.mockito.", "net.bytebuddy.", "org.junit.", "org.assertj.", "org.apache.maven.surefire.");

    private Culprits() {}

    /** {@return whether the first frame of {@code stack} outside the JDK is test tooling's} */
    static boolean blockedByTestTooling(StackTraceElement[] stack) {
        StackTraceElement first = Frames.firstOutside(stack, Frames::isJdk);
        return first != null && TEST_TOOLING.stream().anyMatch(first.getClassName()::startsWith);
    }

    /** {@return the resource's text, led by its kind unless it says it: "channel a -> b", "Server[a]"} */
    static String describe(Object resource) {
        String text = resource.toString();
        String kind = resource.getClass().getSimpleName();
        return text.startsWith(kind) ? text : kind.toLowerCase(java.util.Locale.ROOT) + " " + text;
    }

    /** {@return the first frame of {@code site} in the user's code, or a hint if there is no site} */
    static String site(Throwable site) {
        if (site == null) {
            return "(unknown: the loop was not in debug mode)";
        }
        return Frames.placeOf(site, c -> LIBRARY.stream().anyMatch(c::startsWith)
                || KIT.stream().anyMatch(k -> c.equals(k) || c.startsWith(k + "$")));
    }
}
