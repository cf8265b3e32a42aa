package io.loomas.examples.mayhem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The article's {@code test_main}: real signals, sent with {@code kill -s}, to a child JVM running
 * the service. Nothing here sleeps: it waits for lines of the child's output.
 */
class MainSignalTest {
    static final long WAIT_SECONDS = 60;

    /**
     * A child process, with its output read line by line as it comes. It starts with the default
     * disposition of the exit signals: a JVM started where SIGINT or SIGHUP is ignored (under
     * {@code nohup}, by some CI runners) inherits that and cannot handle them.
     */
    static final class Child implements AutoCloseable {
        final Process process;
        final List<String> output = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        /** A child JVM running {@link Main} with the given arguments. */
        Child(String... extraArgs) throws IOException {
            this(null, javaCommand(extraArgs));
        }

        Child(java.io.File directory, List<String> command) throws IOException {
            List<String> withDefaults = new java.util.ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP"));
            withDefaults.addAll(command);
            process = new ProcessBuilder(withDefaults).directory(directory)
                    .redirectErrorStream(true)
                    .start();
            Thread.ofPlatform().daemon().name("child-output").start(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        output.add(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            });
        }

        private static List<String> javaCommand(String... extraArgs) {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    // this module's test logging is quiet; the child logs like the service does
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-Dorg.slf4j.simpleLogger.logFile=System.out",
                    Main.class.getName(), "--seed=7"));
            command.addAll(List.of(extraArgs));
            return command;
        }

        void awaitLine(String text) throws InterruptedException {
            while (true) {
                String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(line).as("a line containing '%s'; output so far:%n%s", text, String.join("\n", output))
                        .isNotNull();
                if (line.contains(text)) {
                    return;
                }
            }
        }

        void signal(String name) throws Exception {
            int exit = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).inheritIO().start().waitFor();
            assertThat(exit).as("exit code of kill -s %s", name).isZero();
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("child exited; its output:%n%s", String.join("\n", output)).isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM", "HUP"})
    void anExitSignalShutsTheServiceDownGracefully(String signal) throws Exception {
        try (Child child = new Child()) {
            child.awaitLine("Mayhem service started");
            child.awaitLine("Pulled PubSubMessage");
            child.signal(signal);
            child.awaitLine("Successfully shutdown the Mayhem service.");
            assertThat(child.awaitExit()).isZero();
            assertThat(String.join("\n", child.output)).containsSubsequence(
                    "Received exit signal SIG" + signal + "...",
                    "Closing database connections",
                    "Nacking outstanding messages",
                    "outstanding tasks",
                    "Flushing metrics",
                    "Successfully shutdown the Mayhem service.");
        }
    }

    /** Under nohup SIGHUP is ignored, and the JVM inherits that: the service says so, runs, and stops on TERM. */
    @Test
    void startedWithSighupIgnoredTheServiceWarnsAndOtherSignalsStillStopIt() throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "trap '' HUP; exec \"$@\"", "sh"));
        command.addAll(Child.javaCommand());
        try (Child child = new Child(null, command)) {
            child.awaitLine("[SIGHUP] was ignored when this JVM started");
            child.awaitLine("Pulled PubSubMessage");
            child.signal("TERM");
            assertThat(child.awaitExit()).isZero();
            assertThat(child.output).anyMatch(l -> l.contains("Successfully shutdown the Mayhem service."));
        }
    }

    @Test
    void sigusr1RunsItsOwnHandlerAndTheServiceGoesOn() throws Exception {
        try (Child child = new Child()) {
            child.awaitLine("Mayhem service started");
            child.signal("USR1");
            child.awaitLine("Received SIGUSR1, still running");
            child.awaitLine("Published message");        // still working after the signal
            assertThat(child.process.isAlive()).isTrue();
            assertThat(child.output).noneMatch(l -> l.contains("Received exit signal"));

            child.signal("TERM");
            assertThat(child.awaitExit()).isZero();
            assertThat(child.output).anyMatch(l -> l.contains("Received exit signal SIGTERM..."));
        }
    }

    @Test
    void aFailureEscapingATaskShutsTheServiceDownThroughTheExceptionHandler() throws Exception {
        try (Child child = new Child("--crash-after=3")) {
            child.awaitLine("Mayhem service started");
            child.awaitLine("Caught exception: java.lang.IllegalStateException: injected failure while handling");
            child.awaitLine("Successfully shutdown the Mayhem service.");
            assertThat(child.awaitExit()).isZero();
            assertThat(String.join("\n", child.output)).containsSubsequence(
                    "Caught exception",
                    "Shutting down...",
                    "Nacking outstanding messages",
                    "Flushing metrics",
                    "Successfully shutdown the Mayhem service.");
        }
    }
}
