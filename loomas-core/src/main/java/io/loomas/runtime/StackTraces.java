package io.loomas.runtime;

/** Picks the user's frame out of a stack trace captured inside loomas. */
final class StackTraces {
    private StackTraces() {}

    /** {@return the first frame of {@code site} outside the io.loomas.runtime package, as text} */
    static String callerOf(Throwable site) {
        for (StackTraceElement e : site.getStackTrace()) {
            if (!e.getClassName().startsWith("io.loomas.runtime.")) {
                return e.toString();
            }
        }
        StackTraceElement[] all = site.getStackTrace();
        return all.length > 0 ? all[all.length - 1].toString() : "(unknown)";
    }
}
