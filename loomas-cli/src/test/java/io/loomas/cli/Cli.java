package io.loomas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the loomas command as a user would: its own JVM, output to a pipe (not a terminal). */
final class Cli {
    private Cli() {}

    /** How a run of the command ended. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** A started command, to run several at once. */
    record Started(Process process, Path out, Path err) {
        Result await() throws IOException, InterruptedException {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("the loomas command ran longer than 5 minutes; its output:\n" + Files.readString(out));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }
    }

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return start(dir, Map.of(), args).await();
    }

    /** Starts the command with its standard output on a pipe, to be read as it prints. */
    static Process startPiped(Path dir, String... args) throws IOException {
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(dir.toFile())
                .redirectError(Files.createTempFile(dir, "stderr-", ".txt").toFile());
        pb.environment().remove("JOB_COMPLETION_INDEX");
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    static Started start(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = command(args);
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "stdout-", ".txt");
        Path err = Files.createTempFile(dir, "stderr-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().remove("JOB_COMPLETION_INDEX");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return new Started(p, out, err);
    }
}
