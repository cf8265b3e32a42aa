package io.loomas.sim;

import io.loomas.runtime.Loop;
import io.loomas.runtime.internal.Frames;
import java.net.URL;
import java.security.CodeSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the user's line in a stack: tells the library's frames from the user's, so reports point
 * at the user's line. A class
 * is the library's if it comes from the JDK or from the same place as loomas' own classes (its
 * jars, or its build's class directories); loomas' own tests and examples count as user code.
 */
final class LibraryFrames {
    private static final Map<String, Boolean> KNOWN = new ConcurrentHashMap<>();
    private static final URL CORE = location(Loop.class);
    private static final URL SIM = location(Simulation.class);

    private LibraryFrames() {}

    static boolean isLibrary(String className) {
        if (Frames.isJdk(className)) {
            return true;
        }
        if (!className.startsWith("io.loomas.")) {
            return false;
        }
        return KNOWN.computeIfAbsent(className, LibraryFrames::fromLoomas);
    }

    private static boolean fromLoomas(String className) {
        try {
            URL where = location(Class.forName(className, false, Simulation.class.getClassLoader()));
            return where != null && (where.equals(CORE) || where.equals(SIM));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static URL location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    /**
     * {@return where a stack is in the user's code: "at" its first frame outside loomas and the
     * JDK, and "in" the loomas call it made there (so a reader sees their own line first)}
     */
    static String place(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            if (!LibraryFrames.isLibrary(stack[i].getClassName())) {
                String call = "";
                for (int j = i - 1; j >= 0; j--) {
                    if (stack[j].getClassName().startsWith("io.loomas.")) {
                        String c = stack[j].getClassName();
                        call = " (in " + c.substring(c.lastIndexOf('.') + 1) + "." + stack[j].getMethodName() + ")";
                        break;
                    }
                }
                return "at " + stack[i] + call;
            }
        }
        // Only loomas' own code on the stack (a connection's handler, say): name its loomas call.
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.startsWith("io.loomas.") && !Frames.isRuntime(c)) {
                return "in " + c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName() + " (loomas' own task)";
            }
        }
        return stack.length > 0 ? "at " + stack[0] : "at (unknown)";
    }

    /** {@return the first frame of a creation site outside loomas' runtime} */
    static String creationPlace(Throwable site) {
        return Frames.placeOf(site, Frames::isRuntime);
    }
}
