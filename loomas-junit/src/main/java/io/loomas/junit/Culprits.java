package io.loomas.junit;

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
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return TEST_TOOLING.stream().anyMatch(c::startsWith);
            }
        }
        return false;
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
        for (StackTraceElement e : site.getStackTrace()) {
            String c = e.getClassName();
            if (LIBRARY.stream().noneMatch(c::startsWith) && KIT.stream().noneMatch(k -> c.equals(k) || c.startsWith(k + "$"))) {
                return e.toString();
            }
        }
        StackTraceElement[] all = site.getStackTrace();
        return all.length > 0 ? all[all.length - 1].toString() : "(unknown)";
    }
}
