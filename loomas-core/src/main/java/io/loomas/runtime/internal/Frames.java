package io.loomas.runtime.internal;

import java.util.function.Predicate;

/**
 * Finds the frame of a stack that matters to a reader: the first one outside the JDK, outside
 * loomas' runtime, or outside whatever else a report skips. One rule for every report that names
 * a place: a slow task, a lost failure, a deadlock, a leak.
 */
public final class Frames {
    private Frames() {}

    /** {@return whether {@code className} is the JDK's} */
    public static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
    }

    /** {@return whether {@code className} is loomas' runtime's (loops, tasks, waits)} */
    public static boolean isRuntime(String className) {
        return className.startsWith("io.loomas.runtime.");
    }

    /** {@return the first frame of {@code stack} whose class {@code skipped} does not match, or null} */
    public static StackTraceElement firstOutside(StackTraceElement[] stack, Predicate<String> skipped) {
        for (StackTraceElement e : stack) {
            if (!skipped.test(e.getClassName())) {
                return e;
            }
        }
        return null;
    }

    /**
     * {@return the first frame of {@code site}'s stack whose class {@code skipped} does not match,
     * as text; the outermost frame if all match; "(unknown)" for an empty stack}
     */
    public static String placeOf(Throwable site, Predicate<String> skipped) {
        StackTraceElement[] stack = site.getStackTrace();
        StackTraceElement e = firstOutside(stack, skipped);
        return e != null ? e.toString() : stack.length > 0 ? stack[stack.length - 1].toString() : "(unknown)";
    }
}
