package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class Slf4jCheckTest {

    /** Run in a child JVM whose classpath has no SLF4J provider. */
    public static void main(String[] args) {
        Slf4jCheck.warnOnceIfNoProvider();
        Slf4jCheck.warnOnceIfNoProvider(); // once per JVM
        System.exit(0);
    }

    @Test
    void withAProviderItSaysNothing() {
        assertThat(Slf4jCheck.message(LoggerFactory.getILoggerFactory())).isEmpty();
    }

    @Test
    void withoutAProviderItSaysSoOnceAndWhatToAdd() throws Exception {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("slf4j-simple")).collect(Collectors.joining(File.pathSeparator));
        Process child = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", classpath, Slf4jCheckTest.class.getName())).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("loomas-junit: no SLF4J provider on the test classpath")
                .contains("org.slf4j:slf4j-simple");
        assertThat(output.split("loomas-junit: no SLF4J provider", -1)).hasSize(2);
    }
}
