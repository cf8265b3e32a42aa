package io.loomas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The main job's demo tells its story in order, in each codec, and nothing else gets in between. */
class ChannelDemoTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"json", "msgpack"})
    void theDemoReadsAsAStory(String codec) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChannelDemo.run(new String[] {codec}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("loomas channel demo on Java").contains("codec " + codec)
                .containsSubsequence("server  listening on tcp://127.0.0.1:", "client  -> ohai", "client  <- cya",
                        "client  <- slept 1", "client  <- slept 5",
                        "client  -> divide 1 0", "client  <- failure: java.lang.ArithmeticException: / by zero",
                        "client  -> ping me", "client  <- request from the server: ping", "client  <- the client said pong",
                        "server  closed; bye");
    }

    /** The main job runs the demo through scripts/java: on a JDK that warns about Unsafe, no warning shows. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"msgpack"})
    void theMainJobsJvmPrintsNoWarningsAmidTheStory(String codec) throws Exception {
        Path script = Path.of("..", "scripts", "java").toAbsolutePath().normalize();
        Process child = new ProcessBuilder(List.of(script.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "demo", codec)).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out).contains("server  closed; bye").doesNotContain("WARNING");
    }
}
