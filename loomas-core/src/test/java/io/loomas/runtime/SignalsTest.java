package io.loomas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalsTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    private static void sendToThisProcess(String signal) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(ProcessHandle.current().pid()))
                .inheritIO()
                .start()
                .waitFor();
        assertThat(exit).as("exit code of kill -%s", signal).isZero();
    }

    @Test
    void theActionRunsAsATaskOfTheLoopWhenTheSignalArrives() throws Exception {
        try (Loop loop = Loop.create()) {
            Promise<Task<?>> ranIn = new Promise<>();
            Promise<String> signalName = new Promise<>();
            try (Signals.Registration r = Signals.on(loop, List.of("USR2"), name -> {
                ranIn.complete(Task.current());
                signalName.complete(name);
            })) {
                sendToThisProcess("USR2");
                Task<?> task = ranIn.await(LONG);
                assertThat(task.loop()).isSameAs(loop);
                assertThat(task.name()).isEqualTo("signal-SIGUSR2");
                assertThat(signalName.await(LONG)).isEqualTo("USR2");
            }
        }
    }

    @Test
    void closingTheRegistrationRestoresThePreviousHandler() throws Exception {
        try (Loop loop = Loop.create()) {
            Queue<String> seen = new Queue<>();
            try (Signals.Registration outer = Signals.on(loop, List.of("USR2"), name -> seen.put("outer"))) {
                Signals.Registration inner = Signals.on(loop, List.of("USR2"), name -> seen.put("inner"));
                sendToThisProcess("USR2");
                assertThat(seen.take(LONG)).isEqualTo("inner");
                inner.close();
                sendToThisProcess("USR2");
                assertThat(seen.take(LONG)).isEqualTo("outer");
                assertThat(seen.isEmpty()).isTrue();
            }
        }
    }

    @Test
    void anUnknownSignalIsRejectedByName() {
        try (Loop loop = Loop.create()) {
            assertThatThrownBy(() -> Signals.on(loop, List.of("NOSUCHSIG"), name -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NOSUCHSIG");
        }
    }

    @Test
    void aFailedRegistrationRestoresTheHandlersItHadInstalledAlready() throws Exception {
        try (Loop loop = Loop.create()) {
            Queue<String> seen = new Queue<>();
            try (Signals.Registration outer = Signals.on(loop, List.of("USR2"), name -> seen.put("outer"))) {
                assertThatThrownBy(() -> Signals.on(loop, List.of("USR2", "NOSUCHSIG"), name -> seen.put("failed")))
                        .isInstanceOf(IllegalArgumentException.class);
                sendToThisProcess("USR2");
                assertThat(seen.take(LONG)).isEqualTo("outer");
            }
        }
    }

    /** {@return the output of the probe in a child JVM started by {@code sh -c SCRIPT}, where "$@" is the JVM's command} */
    private static String probe(String script) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", script, "sh",
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.logFile=System.out", IgnoredSignalProbe.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("probe exited; output:%n%s", output).isTrue();
        return output;
    }

    @Test
    void anExitSignalIgnoredWhenTheJvmStartedIsNamedInAWarningAndInTheRegistration() throws Exception {
        String ignored = probe("trap '' INT HUP; exec \"$@\"");
        assertThat(ignored).contains("on: installed; ignored [INT]")
                .contains("[SIGINT] was ignored when this JVM started")
                .contains("its handler will not run")
                .contains("env --default-signal=INT java")
                .contains("[SIGINT, SIGHUP] was ignored when this JVM started")
                .contains("shutdownOn: installed");

        String normal = probe("exec env --default-signal=INT,HUP \"$@\"");
        assertThat(normal).contains("on: installed; ignored []").contains("shutdownOn: installed")
                .doesNotContain("was ignored");
    }
}
