package io.loomas.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a child JVM on this JVM's own {@code java} and class path. */
final class Jvm {
    private Jvm() {}

    /**
     * Starts {@code main} with {@code jvmArgs} and {@code args}; its standard output is the
     * returned process's input stream, its standard error goes to this process's.
     */
    static Process start(List<String> jvmArgs, Class<?> main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        String extra = System.getProperty("bench.childJvmArgs", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
