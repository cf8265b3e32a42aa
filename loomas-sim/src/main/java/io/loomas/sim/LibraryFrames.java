package io.loomas.sim;

import io.loomas.runtime.Loop;
import java.net.URL;
import java.security.CodeSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the library's stack frames from the user's, so reports point at the user's line. A class
 * is the library's if it comes from the JDK or from the same place as loomas' own classes (its
 * jars, or its build's class directories); loomas' own tests and examples count as user code.
 */
final class LibraryFrames {
    private static final Map<String, Boolean> KNOWN = new ConcurrentHashMap<>();
    private static final URL CORE = location(Loop.class);
    private static final URL SIM = location(Simulation.class);

    private LibraryFrames() {}

    static boolean isLibrary(String className) {
        if (className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")) {
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
}
